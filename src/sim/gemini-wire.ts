/**
 * A simulated Google Gemini API (generativelanguage v1beta), written from the
 * public REST reference and responses recorded in googleapis/js-genai
 * (test/system/recordings), independently of src/formats/gemini so that
 * translation bugs show up instead of being mirrored.
 *
 * Routes: POST /v1beta/models/{model}:generateContent,
 * :streamGenerateContent?alt=sse, :batchEmbedContents, :embedContent;
 * GET /v1beta/models. The model comes from the path, never the body.
 * Auth: any non-empty `x-goog-api-key` header or `?key=` query.
 * Streams: `data: {...}\r\n\r\n` frames (Google's CRLF endings), each a whole
 * GenerateContentResponse; no [DONE]; the last frame carries finishReason.
 * Function calls come whole in one part, never as streamed argument text.
 * (`:streamGenerateContent` without alt=sse would be a JSON array at Google;
 * the sim always answers SSE.)
 */
import { countTokens, readTurns, type SimAnswer, type SimPrompt, type SimTool } from './script.js';
import { readAnswerOptions } from './gemini-answer-options.js';
import { field, GENERATION_FIELDS, googleError, invalid, known, REQUEST_FIELDS, schemaError, unknownName } from './gemini-request-check.js';
import type { SimErrorResponse, SimWire } from './wire.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Google's single-line JSON as seen on its SSE stream: `": "` after keys, no
 * space after commas (`{"candidates": [{"content": {"parts": [...],"role": "model"}}]}`).
 */
export function googleJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(googleJson).join(',')}]`;
  if (isObj(v)) {
    const fields = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{${fields.map(([k, x]) => `${JSON.stringify(k)}: ${googleJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Gemini schemas spell types in upper case; the shared script reads JSON Schema's lower case. */
function toJsonSchema(s: unknown): Obj {
  if (!isObj(s)) return {};
  const out: Obj = { ...s };
  if (typeof s.type === 'string') out.type = s.type.toLowerCase();
  if (isObj(s.properties)) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toJsonSchema(v)]));
  if (s.items !== undefined) out.items = toJsonSchema(s.items);
  return out;
}

const partsOf = (c: unknown): Obj[] => (isObj(c) && Array.isArray(c.parts) ? c.parts.filter(isObj) : []);
const textOf = (c: unknown): string => partsOf(c).map((p) => (typeof p.text === 'string' ? p.text : isObj(field(p, 'functionCall')) ? JSON.stringify(field(field(p, 'functionCall') as Obj, 'args') ?? {}) : '')).filter((t) => t !== '').join(' ');

function responseText(r: unknown): string {
  if (!isObj(r)) return '';
  const v = r.output ?? r.result ?? r.content ?? r.error ?? r;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function finishOf(a: SimAnswer): string {
  // Gemini reports STOP for a matched stop sequence as well as a natural end.
  return a.kind === 'text' && a.finish === 'length' ? 'MAX_TOKENS' : 'STOP';
}

/** Thinking is reported apart (thoughtsTokenCount) and counted in the total. */
function usageOf(p: SimPrompt, outputTokens?: number, thoughts?: number): Obj {
  const u: Obj = { promptTokenCount: p.inputTokens };
  if (outputTokens !== undefined) u.candidatesTokenCount = outputTokens;
  if (thoughts !== undefined) u.thoughtsTokenCount = thoughts;
  u.totalTokenCount = p.inputTokens + (outputTokens ?? 0) + (thoughts ?? 0);
  u.promptTokensDetails = [{ modality: 'TEXT', tokenCount: p.inputTokens }];
  return u;
}

function answerParts(a: SimAnswer): Obj[] {
  return a.kind === 'tool' ? [{ functionCall: { name: a.name, args: JSON.parse(a.args) as unknown } }] : [{ text: a.text }];
}

function chunk(parts: Obj[], p: SimPrompt, id: string, finish?: string, outputTokens?: number, thoughts?: number): Obj {
  const candidate: Obj = { content: { parts, role: 'model' } };
  if (finish) candidate.finishReason = finish;
  return { candidates: [candidate], usageMetadata: usageOf(p, outputTokens, thoughts), modelVersion: p.model, responseId: id };
}

const frame = (o: Obj) => `data: ${googleJson(o)}\r\n\r\n`;

/** A deterministic unit vector per text (FNV-1a seeded xorshift). */
function vector(text: string, dims: number): number[] {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  const v: number[] = [];
  for (let i = 0; i < dims; i++) {
    h ^= h << 13; h >>>= 0; h ^= h >>> 17; h ^= h << 5; h >>>= 0;
    v.push(h / 4294967296 - 0.5);
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => Number((x / norm).toFixed(6)));
}

const MODELS = [
  { id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', input: 1048576, output: 65536, methods: ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'] },
  { id: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', input: 1048576, output: 65536, methods: ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'] },
  { id: 'gemini-2.0-flash', displayName: 'Gemini 2.0 Flash', input: 1048576, output: 8192, methods: ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'] },
  { id: 'text-embedding-004', displayName: 'Text Embedding 004', input: 2048, output: 1, methods: ['embedContent'] },
  { id: 'gemini-embedding-001', displayName: 'Gemini Embedding 001', input: 2048, output: 1, methods: ['embedContent', 'countTextTokens', 'countTokens', 'asyncBatchEmbedContent'] },
];

export const geminiWire: SimWire = {
  provider: 'gemini',
  overCapacityStatus: 429,

  route(method, url) {
    // alt=sse selects SSE at Google; the sim always streams SSE, so the query is not consulted.
    const path = url.split('?')[0] ?? '';
    if (method === 'GET' && (path === '/v1beta/models' || path === '/v1beta/models/')) return { kind: 'models' };
    const m = /^\/v1beta\/models\/([^:]+):([A-Za-z]+)$/.exec(path);
    if (method !== 'POST' || !m) return undefined;
    const model = decodeURIComponent(m[1]!);
    switch (m[2]) {
      case 'generateContent':
        return { kind: 'chat', stream: false, model };
      case 'streamGenerateContent':
        return { kind: 'chat', stream: true, model };
      case 'batchEmbedContents':
      case 'embedContent':
        return { kind: 'embed', model };
      default:
        return undefined;
    }
  },

  authorized(headers, url) {
    const h = headers['x-goog-api-key'];
    const v = Array.isArray(h) ? h[0] : h;
    if (typeof v === 'string' && v.trim() !== '') return true;
    const q = url?.split('?')[1];
    return q !== undefined && (new URLSearchParams(q).get('key') ?? '').trim() !== '';
  },

  parseChat(body, route) {
    if (!isObj(body)) return invalid('Invalid JSON payload received. Expected an object.', true);
    for (const k of Object.keys(body)) if (!known(REQUEST_FIELDS, k)) return unknownName(k);
    const contents = body.contents;
    if (!Array.isArray(contents) || contents.length === 0) return invalid('* GenerateContentRequest.contents: contents is not specified\n');
    for (const [i, c] of contents.entries()) {
      if (!isObj(c)) return invalid(`Invalid value at 'contents[${i}]': expected a Content object.`, true);
      if (c.role !== undefined && c.role !== 'user' && c.role !== 'model') return invalid(`Please use a valid role: user, model.`);
      if (partsOf(c).length === 0) return invalid(`* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.\n`);
      for (const [j, p] of partsOf(c).entries()) {
        const fc = field(p, 'functionCall');
        const fr = field(p, 'functionResponse');
        if (isObj(fc) && typeof fc.name !== 'string') return invalid(`* GenerateContentRequest.contents[${i}].parts[${j}].function_call.name: Name cannot be empty.\n`);
        if (isObj(fr) && (typeof fr.name !== 'string' || fr.name === '')) return invalid(`* GenerateContentRequest.contents[${i}].parts[${j}].function_response.name: Name cannot be empty.\n`);
      }
    }
    const gen = field(body, 'generationConfig');
    let options: { schema?: Obj; thinking: boolean } = { thinking: false };
    if (gen !== undefined) {
      if (!isObj(gen)) return invalid("Invalid value at 'generation_config': expected an object.", true);
      for (const k of Object.keys(gen)) if (!known(GENERATION_FIELDS, k)) return unknownName(k, 'generation_config');
      const read = readAnswerOptions(gen);
      if ('error' in read) return read;
      options = read;
    }
    const tools: SimTool[] = [];
    const toolList = body.tools;
    if (toolList !== undefined && !Array.isArray(toolList)) return invalid("Invalid value at 'tools': expected a list.", true);
    for (const [i, t] of (toolList ?? []).entries()) {
      const decls = isObj(t) ? field(t, 'functionDeclarations') : undefined;
      for (const [j, d] of (Array.isArray(decls) ? decls : []).entries()) {
        if (!isObj(d) || typeof d.name !== 'string' || d.name === '') return invalid(`* GenerateContentRequest.tools[${i}].function_declarations[${j}].name: Name cannot be empty.\n`);
        const params = d.parameters;
        if (params !== undefined) {
          const e = schemaError(params, `tools[${i}].function_declarations[${j}].parameters`);
          if (e) return e;
        }
        const json = field(d, 'parametersJsonSchema');
        tools.push({ name: d.name, parameters: params !== undefined ? toJsonSchema(params) : isObj(json) ? json : {} });
      }
    }
    const turns = contents as Obj[];
    const system = field(body, 'systemInstruction');
    const view = readTurns(
      turns.map((c) => ({ role: c.role === 'model' ? 'assistant' : partsOf(c).some((p) => typeof p.text === 'string') ? 'user' : 'other', text: textOf(c) })),
    );
    const prompt: SimPrompt = {
      model: route.kind === 'chat' && route.model ? route.model : '',
      lastUserText: view.lastUserText,
      ...(view.prefill === undefined ? {} : { prefill: view.prefill }),
      tools,
      inputTokens: countTokens([textOf(system), ...turns.map(textOf), tools.length > 0 ? JSON.stringify(toolList) : ''].join(' ')),
    };
    const responses = partsOf(turns[turns.length - 1]).map((p) => field(p, 'functionResponse')).filter(isObj);
    if (responses.length > 0) prompt.toolResult = { content: responses.map((r) => responseText(r.response)).join(' ') };
    const fcc = isObj(field(body, 'toolConfig')) ? field(field(body, 'toolConfig') as Obj, 'functionCallingConfig') : undefined;
    if (isObj(fcc)) {
      const allowed = field(fcc, 'allowedFunctionNames');
      if (fcc.mode === 'NONE') prompt.toolChoice = 'none';
      else if (fcc.mode === 'ANY') prompt.toolChoice = Array.isArray(allowed) && allowed.length === 1 ? { name: String(allowed[0]) } : 'required';
      else prompt.toolChoice = 'auto';
    }
    if (options.schema) prompt.outputSchema = options.schema;
    if (options.thinking) prompt.reasoning = true;
    if (isObj(gen)) {
      const max = field(gen, 'maxOutputTokens');
      if (typeof max === 'number') prompt.maxTokens = max;
      const stop = field(gen, 'stopSequences');
      if (Array.isArray(stop)) prompt.stop = stop.filter((s): s is string => typeof s === 'string');
    }
    return { prompt };
  },

  chatJson(answer, prompt, id) {
    const body = chunk(answerParts(answer), prompt, id, finishOf(answer), answer.outputTokens, answer.reasoning?.tokens);
    ((body.candidates as Obj[])[0]!).index = 0;
    return body;
  },

  streamFrames(answer, prompt, id) {
    const thoughts = answer.reasoning?.tokens;
    if (answer.kind === 'tool') return [frame(chunk(answerParts(answer), prompt, id, 'STOP', answer.outputTokens, thoughts))];
    const chunks = answer.chunks.length > 0 ? answer.chunks : [''];
    // Every chunk carries usage (prompt only until the last, as recorded); the last carries finishReason.
    return chunks.map((text, i) =>
      i < chunks.length - 1 ? frame(chunk([{ text }], prompt, id)) : frame(chunk([{ text }], prompt, id, finishOf(answer), answer.outputTokens, thoughts)),
    );
  },

  embed(body, route) {
    const model = route.kind === 'embed' ? route.model ?? '' : '';
    if (!isObj(body)) return invalid('Invalid JSON payload received. Expected an object.', true);
    const one = (r: unknown, at: string): number[] | { error: SimErrorResponse } => {
      if (!isObj(r) || !isObj(r.content)) return invalid(`* ${at}content: content is not specified\n`);
      const dims = field(r, 'outputDimensionality');
      return vector(`${model}\u0000${textOf(r.content)}`, typeof dims === 'number' && dims > 0 ? dims : 768);
    };
    if (body.requests !== undefined) {
      if (!Array.isArray(body.requests) || body.requests.length === 0) return invalid('* BatchEmbedContentsRequest.requests: requests is not specified\n');
      const out: Obj[] = [];
      for (const [i, r] of body.requests.entries()) {
        // Each request names its model; Google rejects one that differs from the URL's.
        if (isObj(r) && r.model !== `models/${model}`) {
          return invalid(`* BatchEmbedContentsRequest.requests[${i}].model: Model names in the batch requests must match the model in the URL (models/${model}).\n`);
        }
        const v = one(r, `BatchEmbedContentsRequest.requests[${i}].`);
        if ('error' in v) return v;
        out.push({ values: v });
      }
      return { json: { embeddings: out } };
    }
    const v = one(body, 'EmbedContentRequest.');
    return 'error' in v ? v : { json: { embedding: { values: v } } };
  },

  models() {
    return {
      models: MODELS.map((m) => ({
        name: `models/${m.id}`,
        version: '001',
        displayName: m.displayName,
        description: `${m.displayName} (simulated)`,
        inputTokenLimit: m.input,
        outputTokenLimit: m.output,
        supportedGenerationMethods: m.methods,
        ...(m.methods.includes('generateContent') ? { temperature: 1, topP: 0.95, topK: 64, maxTemperature: 2, thinking: m.id.startsWith('gemini-2.5') } : {}),
      })),
    };
  },

  error(status, opts) {
    if (opts.variant === 'unauthorized') {
      // What Google answers when no key is sent at all.
      return googleError(403, 'PERMISSION_DENIED', "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
    }
    if (status === 429) {
      const retry = opts.retryAfterSeconds;
      const retryInfo = (secs: number): Obj => ({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${secs}s` });
      if (opts.variant === 'over-capacity') {
        // Shared-capacity exhaustion: no quota named.
        return googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', retry === undefined ? undefined : [retryInfo(retry)]);
      }
      const daily = opts.variant === 'quota';
      const secs = retry ?? (daily ? 36 : 1);
      const quotaId = daily ? 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' : 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier';
      return googleError(
        429,
        'RESOURCE_EXHAUSTED',
        `You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: ${daily ? 50 : 15}\nPlease retry in ${secs}s.`,
        [
          { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId, quotaDimensions: { location: 'global', model: 'gemini-2.0-flash' }, quotaValue: daily ? '50' : '15' }] },
          { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
          retryInfo(secs),
        ],
      );
    }
    const names: Record<number, [string, string]> = {
      400: ['INVALID_ARGUMENT', 'Request contains an invalid argument.'],
      401: ['UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.'],
      403: ['PERMISSION_DENIED', 'The caller does not have permission'],
      404: ['NOT_FOUND', 'Requested entity was not found.'],
      500: ['INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting'],
      503: ['UNAVAILABLE', 'The model is overloaded. Please try again later.'],
      504: ['DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.'],
    };
    const [name, message] = names[status] ?? (status >= 500 ? ['INTERNAL', 'Internal error encountered.'] : ['FAILED_PRECONDITION', 'Precondition check failed.']);
    return googleError(status, name, message);
  },

  malformedFrame() {
    return 'data: {"candidates": [{"content": {"parts": [{"text": " trunc\r\n\r\n';
  },

  streamErrorFrame() {
    return 'data: {"error": {"code": 503, "message": "The model is overloaded. Please try again later.", "status": "UNAVAILABLE"}}\r\n\r\n';
  },
};

