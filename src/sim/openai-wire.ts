/**
 * The simulated OpenAI API at base `/v1`, written from OpenAI's API reference
 * (independently of src/formats, so translation bugs are caught, not mirrored):
 * POST /v1/chat/completions (JSON, or SSE `chat.completion.chunk`s ending in
 * `data: [DONE]`), POST /v1/embeddings, GET /v1/models. Error bodies are OpenAI's
 * own: pretty-printed {"error":{message,type,param,code}} with x-request-id.
 * The official `openai` npm SDK must accept everything it sends (see openai-wire.test.ts).
 */
import { countTokens, readTurns, type SimAnswer, type SimPrompt, type SimTool } from './script.js';
import { readReasoningEffort, readResponseFormat } from './openai-response-format.js';
import type { SimErrorResponse, SimWire } from './wire.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the OpenAI wire needs beyond the neutral prompt (carried on the same object back to streamFrames). */
interface OpenAISimPrompt extends SimPrompt {
  includeUsage: boolean;
}

const FINGERPRINT = 'fp_5f2c1b0a9d';
let requestSeq = 0;

function requestId(): string {
  return `req_${(++requestSeq).toString(16).padStart(32, '0')}`;
}

/** OpenAI sends error bodies pretty-printed with 4 spaces and a trailing newline. */
function errorResponse(status: number, error: { message: string; type: string; param: string | null; code: string | number | null }, headers: Record<string, string> = {}): SimErrorResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId(), ...headers },
    body: `${JSON.stringify({ error }, null, 4)}\n`,
  };
}

function invalid(message: string, param: string | null = null, code: string | null = null): { error: SimErrorResponse } {
  return { error: errorResponse(400, { message, type: 'invalid_request_error', param, code }) };
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((p) => (isObj(p) && p.type === 'text' && typeof p.text === 'string' ? p.text : ''))
    .filter((t) => t !== '')
    .join(' ');
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

/** Reasoning tokens are billed as completion tokens, and reported apart in completion_tokens_details. */
function usage(prompt: SimPrompt, answer: SimAnswer): Obj {
  const reasoning = answer.reasoning?.tokens ?? 0;
  const completion = answer.outputTokens + reasoning;
  return {
    prompt_tokens: prompt.inputTokens,
    completion_tokens: completion,
    total_tokens: prompt.inputTokens + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

/** OpenAI reports a stop sequence as plain `stop`. */
function finishReason(answer: SimAnswer): string {
  if (answer.kind === 'tool') return 'tool_calls';
  return answer.finish === 'length' ? 'length' : 'stop';
}

const completionId = (id: string) => `chatcmpl-${id}`;

function hash(s: string, seed: number): number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** A deterministic unit vector for `text` (OpenAI embeddings are normalised to length 1). */
function vectorFor(text: string, dims: number): number[] {
  const v = Array.from({ length: dims }, (_, i) => (hash(text, i) / 0xffffffff) * 2 - 1);
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => Math.fround(x / norm));
}

const MODELS = [
  { id: 'gpt-4o', created: 1715367049 },
  { id: 'gpt-4o-mini', created: 1721172741 },
  { id: 'gpt-4.1', created: 1744316542 },
  { id: 'text-embedding-3-small', created: 1705948997 },
];

export const openaiWire: SimWire = {
  provider: 'openai',
  // OpenAI sheds load with 429s (its 2023 "model is currently overloaded" errors came as 429).
  overCapacityStatus: 429,

  route(method, url) {
    const path = url.split('?')[0];
    if (method === 'POST' && path === '/v1/chat/completions') return { kind: 'chat', stream: false }; // parseChat reads body.stream
    if (method === 'POST' && path === '/v1/embeddings') return { kind: 'embed' };
    if (method === 'GET' && path === '/v1/models') return { kind: 'models' };
    return undefined;
  },

  // Any non-empty Bearer token; Azure OpenAI's `api-key` header too, so the same sim stands in for Azure.
  authorized(headers) {
    const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
    const auth = one(headers.authorization);
    if (typeof auth === 'string' && /^Bearer\s+\S+/i.test(auth)) return true;
    const key = one(headers['api-key']);
    return typeof key === 'string' && key.trim() !== '';
  },

  parseChat(body, route) {
    if (!isObj(body) || typeof body.model !== 'string' || body.model === '') return invalid('you must provide a model parameter');
    if (body.messages === undefined || body.messages === null) return invalid("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
    if (!Array.isArray(body.messages)) return invalid("Invalid type for 'messages': expected an array of objects.", 'messages', 'invalid_type');
    if (body.messages.length === 0) {
      return invalid("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array');
    }
    for (const [i, m] of (body.messages as unknown[]).entries()) {
      if (!isObj(m) || typeof m.role !== 'string') return invalid(`Missing required parameter: 'messages[${i}].role'.`, `messages[${i}].role`, 'missing_required_parameter');
      if (m.role === 'tool' && typeof m.tool_call_id !== 'string') {
        return invalid(`Missing required parameter: 'messages[${i}].tool_call_id'.`, `messages[${i}].tool_call_id`, 'missing_required_parameter');
      }
    }
    const stream = body.stream === true;
    if (!stream && body.stream_options !== undefined && body.stream_options !== null) {
      return invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", 'stream_options', 'invalid_value');
    }
    // Streaming is chosen by the body's `stream`, not the path: the route object is per request.
    if (route.kind === 'chat') route.stream = stream;

    const messages = body.messages as Obj[];
    const last = messages[messages.length - 1]!;
    const tools: SimTool[] = Array.isArray(body.tools)
      ? (body.tools as unknown[]).filter(isObj).flatMap((t) =>
          isObj(t.function) && typeof t.function.name === 'string'
            ? [{ name: t.function.name, parameters: isObj(t.function.parameters) ? t.function.parameters : {} }]
            : [],
        )
      : [];
    const view = readTurns(messages.map((m) => ({ role: m.role === 'user' ? 'user' : m.role === 'assistant' ? 'assistant' : 'other', text: textOf(m.content) })));
    const prompt: OpenAISimPrompt = {
      model: body.model,
      lastUserText: view.lastUserText,
      ...(view.prefill === undefined ? {} : { prefill: view.prefill }),
      tools,
      // Roughly OpenAI's accounting: content tokens plus a few per message for the chat template.
      inputTokens: countTokens(messages.map((m) => textOf(m.content)).join(' ')) + 3 * messages.length + (tools.length > 0 ? countTokens(JSON.stringify(body.tools)) : 0),
      includeUsage: stream && isObj(body.stream_options) && body.stream_options.include_usage === true,
    };
    if (last.role === 'tool') prompt.toolResult = { content: textOf(last.content) };
    const format = readResponseFormat(body.response_format, messages.map((m) => textOf(m.content)).join(' '));
    if ('error' in format) return invalid(format.error.message, format.error.param, format.error.code);
    if (format.schema) prompt.outputSchema = format.schema;
    const effort = readReasoningEffort(body.reasoning_effort);
    if ('error' in effort) return invalid(effort.error.message, effort.error.param, effort.error.code);
    if (effort.reasoning) prompt.reasoning = true;
    const tc = body.tool_choice;
    if (tc === 'auto' || tc === 'none' || tc === 'required') prompt.toolChoice = tc;
    else if (isObj(tc) && isObj(tc.function) && typeof tc.function.name === 'string') prompt.toolChoice = { name: tc.function.name };
    const max = body.max_completion_tokens ?? body.max_tokens;
    if (typeof max === 'number') prompt.maxTokens = max;
    if (typeof body.stop === 'string') prompt.stop = [body.stop];
    else if (Array.isArray(body.stop)) prompt.stop = (body.stop as unknown[]).filter((s): s is string => typeof s === 'string');
    return { prompt };
  },

  chatJson(answer, prompt, id) {
    const message: Obj =
      answer.kind === 'tool'
        ? { role: 'assistant', content: null, tool_calls: [{ id: answer.id, type: 'function', function: { name: answer.name, arguments: answer.args } }], refusal: null, annotations: [] }
        : { role: 'assistant', content: answer.text, refusal: null, annotations: [] };
    return {
      id: completionId(id),
      object: 'chat.completion',
      created: unixNow(),
      model: prompt.model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(answer) }],
      usage: usage(prompt, answer),
      service_tier: 'default',
      system_fingerprint: FINGERPRINT,
    };
  },

  streamFrames(answer, prompt, id) {
    const includeUsage = (prompt as Partial<OpenAISimPrompt>).includeUsage === true;
    const created = unixNow();
    const head = { id: completionId(id), object: 'chat.completion.chunk', created, model: prompt.model, service_tier: 'default', system_fingerprint: FINGERPRINT };
    // With include_usage every chunk carries "usage": null, and a last chunk with empty choices carries the usage.
    const tail = includeUsage ? { usage: null } : {};
    const frame = (delta: Obj, finish: string | null = null) =>
      `data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...tail })}\n\n`;
    const frames: string[] = [];
    if (answer.kind === 'tool') {
      frames.push(frame({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: answer.id, type: 'function', function: { name: answer.name, arguments: '' } }], refusal: null }));
      for (const part of answer.argChunks) frames.push(frame({ tool_calls: [{ index: 0, function: { arguments: part } }] }));
    } else {
      frames.push(frame({ role: 'assistant', content: '', refusal: null }));
      for (const text of answer.chunks) frames.push(frame({ content: text }));
    }
    frames.push(frame({}, finishReason(answer)));
    if (includeUsage) frames.push(`data: ${JSON.stringify({ ...head, choices: [], usage: usage(prompt, answer) })}\n\n`);
    frames.push('data: [DONE]\n\n');
    return frames;
  },

  embed(body) {
    if (!isObj(body) || typeof body.model !== 'string' || body.model === '') return invalid('you must provide a model parameter');
    const raw = body.input;
    let inputs: string[];
    if (typeof raw === 'string') inputs = [raw];
    // Token arrays are valid to OpenAI; the sim hashes their JSON.
    else if (Array.isArray(raw) && raw.length > 0) inputs = raw.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
    else return invalid("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", 'input');
    if (inputs.some((s) => s === '')) return invalid("'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.", 'input');
    const dims = typeof body.dimensions === 'number' && Number.isInteger(body.dimensions) && body.dimensions > 0 ? Math.min(body.dimensions, 3072) : 8;
    const base64 = body.encoding_format === 'base64';
    const data = inputs.map((text, index) => {
      const v = vectorFor(text, dims);
      if (!base64) return { object: 'embedding', index, embedding: v };
      const buf = Buffer.alloc(dims * 4);
      v.forEach((x, i) => buf.writeFloatLE(x, i * 4));
      return { object: 'embedding', index, embedding: buf.toString('base64') };
    });
    const tokens = inputs.reduce((n, s) => n + countTokens(s), 0);
    return { json: { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } } };
  },

  models() {
    return { object: 'list', data: MODELS.map((m) => ({ id: m.id, object: 'model', created: m.created, owned_by: 'system' })) };
  },

  error(status, opts) {
    const secs = opts.retryAfterSeconds;
    const retry: Record<string, string> = secs === undefined ? {} : { 'retry-after': String(secs) };
    switch (status) {
      case 400:
        return errorResponse(400, { message: "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)", type: 'invalid_request_error', param: null, code: null });
      case 401:
        if (opts.variant === 'unauthorized') {
          return errorResponse(401, {
            message:
              "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username. You can obtain an API key from https://platform.openai.com/account/api-keys.",
            type: 'invalid_request_error',
            param: null,
            code: null,
          });
        }
        return errorResponse(401, {
          message: 'Incorrect API key provided: sk-sim-***FAKE. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        });
      case 403:
        return errorResponse(403, { message: 'Country, region, or territory not supported', type: 'request_forbidden', param: null, code: 'unsupported_country_region_territory' });
      case 404:
        return errorResponse(404, { message: 'The model does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' });
      case 429: {
        if (opts.variant === 'quota') {
          return errorResponse(429, {
            message: 'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
            type: 'insufficient_quota',
            param: null,
            code: 'insufficient_quota',
          });
        }
        const wait = secs ?? 1;
        const headers = {
          ...retry,
          'x-ratelimit-limit-requests': '500',
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': `${wait}s`,
          'x-ratelimit-limit-tokens': '30000',
          'x-ratelimit-remaining-tokens': '29950',
          'x-ratelimit-reset-tokens': '100ms',
        };
        if (opts.variant === 'over-capacity') {
          return errorResponse(429, {
            message: 'That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com if the error persists.',
            type: 'server_error',
            param: null,
            code: null,
          }, headers);
        }
        return errorResponse(429, {
          message: `Rate limit reached for gpt-4o in organization org-sim on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in ${wait}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        }, headers);
      }
      case 500:
        return errorResponse(500, { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null }, retry);
      case 502:
        // OpenAI's Cloudflare-fronted 502 JSON (code is a number here, type cf_*).
        return errorResponse(502, { message: 'Bad gateway.', type: 'cf_bad_gateway', param: null, code: 502 }, retry);
      case 503:
        return errorResponse(503, { message: 'The engine is currently overloaded, please try again later', type: 'server_error', param: null, code: null }, retry);
      case 504:
        return errorResponse(504, { message: 'Gateway timeout.', type: 'cf_gateway_timeout', param: null, code: 504 }, retry);
      default:
        return errorResponse(status, { message: 'The server had an error while processing your request. Sorry about that!', type: status < 500 ? 'invalid_request_error' : 'server_error', param: null, code: null }, retry);
    }
  },

  malformedFrame() {
    return 'data: {"id":"chatcmpl-x","choices":[{"delta":{"content":"oops"\n\n';
  },

  streamErrorFrame() {
    return 'data: {"error":{"message":"The server is overloaded or not ready yet.","type":"server_error","param":null,"code":null}}\n\n';
  },
};
