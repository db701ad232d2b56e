/**
 * A simulated Anthropic API, written from Anthropic's public API reference
 * (Messages, Streaming Messages, Count tokens, Models, Errors, Rate limits) and
 * independently of src/formats, so translation bugs show up instead of being mirrored.
 * Routes: POST /v1/messages, POST /v1/messages/count_tokens, GET /v1/models.
 */
import { randomId } from '../core/ids.js';
import { countTokens, readTurns, type SimAnswer, type SimPrompt, type SimTool } from './script.js';
import { readAnswerOptions } from './anthropic-answer-options.js';
import type { SimErrorResponse, SimWire } from './wire.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Anthropic sends a request-id on every response; the SDK surfaces it as `_request_id`. */
const requestId = (): string => randomId('req_', 24);

function errorResponse(status: number, type: string, message: string, headers: Record<string, string> = {}): SimErrorResponse {
  const rid = requestId();
  return {
    status,
    headers: { 'request-id': rid, ...headers },
    body: JSON.stringify({ type: 'error', error: { type, message }, request_id: rid }),
  };
}

const invalid = (message: string): { error: SimErrorResponse } => ({ error: errorResponse(400, 'invalid_request_error', message) });

/** Text of a content value (string or blocks); tool_result blocks contribute their own content. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((b: unknown) => {
      if (!isObj(b)) return '';
      if (b.type === 'text' && typeof b.text === 'string') return b.text;
      if (b.type === 'tool_result') return textOf(b.content);
      if (b.type === 'tool_use') return JSON.stringify(b.input ?? {});
      return '';
    })
    .filter((s) => s !== '')
    .join(' ');
}

function toolResultOf(content: unknown): { content: string } | undefined {
  if (!Array.isArray(content)) return undefined;
  const results = content.filter((b: unknown) => isObj(b) && b.type === 'tool_result') as Obj[];
  if (results.length === 0) return undefined;
  return { content: results.map((r) => textOf(r.content)).join(' ') };
}

const messageId = (id: string): string => `msg_${id.replace(/[^A-Za-z0-9]/g, '')}`;
const toolUseId = (id: string): string => `toolu_${id.replace(/^call_/, '')}`;

function stopReason(a: SimAnswer): { stop_reason: string; stop_sequence: string | null } {
  if (a.kind === 'tool') return { stop_reason: 'tool_use', stop_sequence: null };
  if (a.finish === 'length') return { stop_reason: 'max_tokens', stop_sequence: null };
  if (a.finish === 'stop_sequence') return { stop_reason: 'stop_sequence', stop_sequence: a.stopSequence ?? null };
  return { stop_reason: 'end_turn', stop_sequence: null };
}

/** Thinking is billed as output: output_tokens includes it. */
const billedOutput = (a: SimAnswer): number => a.outputTokens + (a.reasoning?.tokens ?? 0);

/** A thinking block's signature: opaque to clients, stable per answer. */
const signatureOf = (id: string): string => Buffer.from(`sim-signature:${id}`).toString('base64');

function usage(p: SimPrompt, outputTokens: number): Obj {
  const cached = p.cachedInputTokens ?? 0;
  return { input_tokens: p.inputTokens - cached, cache_creation_input_tokens: 0, cache_read_input_tokens: cached, output_tokens: outputTokens, service_tier: 'standard' };
}

function sse(type: string, data: Obj): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

const ERROR_TYPES: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'Invalid request.'],
  401: ['authentication_error', 'invalid x-api-key'],
  402: ['billing_error', 'Your account has a billing issue.'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'Not found.'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  429: ['rate_limit_error', 'This request would exceed the rate limit for your organization of 50 requests per minute. Please see the response headers for current usage, reduce your request rate, or try again later.'],
  500: ['api_error', 'Internal server error'],
  504: ['timeout_error', 'Request timed out'],
  529: ['overloaded_error', 'Overloaded'],
};

const MODELS = [
  { id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
  { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-15T00:00:00Z' },
  { id: 'claude-opus-4-1-20250805', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z' },
];

export const anthropicWire: SimWire = {
  provider: 'anthropic',
  overCapacityStatus: 529,

  route(method, url) {
    const path = url.split('?')[0];
    if (method === 'POST' && path === '/v1/messages') return { kind: 'chat', stream: false }; // parseChat reads body.stream
    // SimRoute has no count-tokens kind: it rides on 'embed' (a JSON-in/JSON-out call that faults apply to too).
    if (method === 'POST' && path === '/v1/messages/count_tokens') return { kind: 'embed' };
    if (method === 'GET' && path === '/v1/models') return { kind: 'models' };
    return undefined;
  },

  // The documented header is x-api-key; @anthropic-ai/sdk >= 1.x sends the same key as
  // `Authorization: Bearer <key>` instead, so either is accepted.
  authorized(headers) {
    const first = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h)?.trim() ?? '';
    if (first(headers['x-api-key']) !== '') return true;
    const m = /^Bearer\s+(\S+)/i.exec(first(headers.authorization));
    return m !== null;
  },

  parseChat(body, route) {
    if (!isObj(body)) return invalid('Request body must be a JSON object');
    if (typeof body.model !== 'string' || body.model === '') return invalid('model: Field required');
    if (body.max_tokens === undefined) return invalid('max_tokens: Field required');
    if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
      return invalid('max_tokens: Input should be a valid integer greater than or equal to 1');
    }
    if (body.messages === undefined) return invalid('messages: Field required');
    if (!Array.isArray(body.messages) || body.messages.length === 0) return invalid('messages: at least one message is required');
    for (const [i, m] of (body.messages as unknown[]).entries()) {
      if (!isObj(m) || (m.role !== 'user' && m.role !== 'assistant')) return invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
      if (m.content === undefined) return invalid(`messages.${i}.content: Field required`);
    }
    const messages = body.messages as Obj[];
    // Streaming is chosen by the body's `stream`, not the path: the route object is per request.
    if (route.kind === 'chat') route.stream = body.stream === true;

    const last = messages[messages.length - 1]!;
    const tools: SimTool[] = Array.isArray(body.tools)
      ? (body.tools as unknown[]).filter(isObj).map((t) => ({ name: String(t.name), parameters: isObj(t.input_schema) ? t.input_schema : {} }))
      : [];
    const view = readTurns(messages.map((m) => ({ role: m.role === 'assistant' ? 'assistant' : 'user', text: textOf(m.content) })));
    const prompt: SimPrompt = {
      model: body.model,
      lastUserText: view.lastUserText,
      ...(view.prefill === undefined ? {} : { prefill: view.prefill }),
      tools,
      maxTokens: body.max_tokens,
      inputTokens: countTokens(
        [textOf(body.system), ...messages.map((m) => textOf(m.content)), tools.length > 0 ? JSON.stringify(body.tools) : ''].join(' '),
      ),
    };
    // Prompt caching, simulated warm: with a cache_control breakpoint anywhere, half the prompt reads from the cache
    // (Anthropic reports cache reads apart from input_tokens).
    if (JSON.stringify([body.tools, body.system, messages]).includes('"cache_control"')) prompt.cachedInputTokens = Math.floor(prompt.inputTokens / 2);
    const tr = last.role === 'user' ? toolResultOf(last.content) : undefined;
    if (tr) prompt.toolResult = tr;
    const tc = body.tool_choice;
    if (isObj(tc)) {
      if (tc.type === 'any') prompt.toolChoice = 'required';
      else if (tc.type === 'none') prompt.toolChoice = 'none';
      else if (tc.type === 'tool' && typeof tc.name === 'string') prompt.toolChoice = { name: tc.name };
      else prompt.toolChoice = 'auto';
    }
    if (Array.isArray(body.stop_sequences)) prompt.stop = (body.stop_sequences as unknown[]).filter((s): s is string => typeof s === 'string');
    const options = readAnswerOptions(body, messages);
    if ('error' in options) return invalid(options.error);
    if (options.schema) prompt.outputSchema = options.schema;
    if (options.thinking) prompt.reasoning = true;
    return { prompt };
  },

  chatJson(answer, prompt, id) {
    const content: Obj[] =
      answer.kind === 'tool'
        ? [{ type: 'tool_use', id: toolUseId(answer.id), name: answer.name, input: JSON.parse(answer.args) as unknown }]
        : [{ type: 'text', text: answer.text }];
    // With thinking enabled the answer opens with a thinking block and its signature.
    if (answer.reasoning) content.unshift({ type: 'thinking', thinking: answer.reasoning.text, signature: signatureOf(id) });
    return {
      id: messageId(id),
      type: 'message',
      role: 'assistant',
      model: prompt.model,
      content,
      ...stopReason(answer),
      usage: usage(prompt, billedOutput(answer)),
    };
  },

  streamFrames(answer, prompt, id) {
    const frames: string[] = [];
    const message = { id: messageId(id), type: 'message', role: 'assistant', model: prompt.model, content: [], stop_reason: null, stop_sequence: null, usage: usage(prompt, 1) };
    frames.push(sse('message_start', { message }));
    let index = 0;
    if (answer.reasoning) {
      frames.push(sse('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } }));
      frames.push(sse('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: answer.reasoning.text } }));
      frames.push(sse('content_block_delta', { index, delta: { type: 'signature_delta', signature: signatureOf(id) } }));
      frames.push(sse('content_block_stop', { index }));
      index++;
    }
    if (answer.kind === 'tool') {
      frames.push(sse('content_block_start', { index, content_block: { type: 'tool_use', id: toolUseId(answer.id), name: answer.name, input: {} } }));
      frames.push(sse('ping', {}));
      // Anthropic opens a tool's input with an empty partial_json before the real fragments.
      for (const part of ['', ...answer.argChunks]) frames.push(sse('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: part } }));
    } else {
      frames.push(sse('content_block_start', { index, content_block: { type: 'text', text: '' } }));
      frames.push(sse('ping', {}));
      for (const text of answer.chunks) frames.push(sse('content_block_delta', { index, delta: { type: 'text_delta', text } }));
    }
    frames.push(sse('content_block_stop', { index }));
    const u = usage(prompt, billedOutput(answer));
    delete u.service_tier;
    frames.push(sse('message_delta', { delta: stopReason(answer), usage: u }));
    frames.push(sse('message_stop', {}));
    return frames;
  },

  // Count tokens (POST /v1/messages/count_tokens) arrives here: see route().
  embed(body) {
    if (!isObj(body)) return invalid('Request body must be a JSON object');
    if (typeof body.model !== 'string' || body.model === '') return invalid('model: Field required');
    if (!Array.isArray(body.messages)) return invalid('messages: Field required');
    const text = [textOf(body.system), ...(body.messages as unknown[]).map((m) => (isObj(m) ? textOf(m.content) : ''))].join(' ');
    return { json: { input_tokens: countTokens(text) + (Array.isArray(body.tools) ? countTokens(JSON.stringify(body.tools)) : 0) } };
  },

  models() {
    const data = MODELS.map((m) => ({ type: 'model', ...m }));
    return { data, has_more: false, first_id: data[0]!.id, last_id: data[data.length - 1]!.id };
  },

  error(status, opts) {
    // Anthropic's prepaid credit running out is a 400 invalid_request_error, not a 429.
    if (opts.variant === 'quota') {
      return errorResponse(400, 'invalid_request_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.');
    }
    if (opts.variant === 'unauthorized') return errorResponse(401, 'authentication_error', 'invalid x-api-key');
    const [type, message] = ERROR_TYPES[status] ?? (status >= 500 ? ['api_error', 'Internal server error'] : ['invalid_request_error', 'Invalid request.']);
    const headers: Record<string, string> = {};
    if (status === 429) {
      const secs = opts.retryAfterSeconds ?? 15;
      const reset = new Date(Date.now() + secs * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      headers['retry-after'] = String(secs);
      headers['anthropic-ratelimit-requests-limit'] = '50';
      headers['anthropic-ratelimit-requests-remaining'] = '0';
      headers['anthropic-ratelimit-requests-reset'] = reset;
      headers['anthropic-ratelimit-tokens-limit'] = '40000';
      headers['anthropic-ratelimit-tokens-remaining'] = '40000';
      headers['anthropic-ratelimit-tokens-reset'] = new Date(Date.now() + 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    } else if (opts.retryAfterSeconds !== undefined) {
      headers['retry-after'] = String(opts.retryAfterSeconds);
    }
    return errorResponse(status, type, message, headers);
  },

  malformedFrame() {
    return 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_del\n\n';
  },

  streamErrorFrame() {
    return 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
  },
};
