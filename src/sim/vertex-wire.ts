/**
 * Simulated Google Vertex AI endpoints, written from the Vertex AI REST reference and its
 * "Use Anthropic's Claude models" page: Claude at
 * POST /v1/projects/{project}/locations/{region}/publishers/anthropic/models/{model}:rawPredict
 * and :streamRawPredict (the body must carry `anthropic_version: vertex-2023-10-16`, no `model`,
 * and `stream: true` exactly when streaming), Gemini at .../publishers/google/models/{model}
 * :generateContent and :streamGenerateContent. Every request needs an OAuth bearer token the
 * simulated Google accepts (default: any `ya29.` token, Google's access-token prefix; a test can
 * say which tokens are valid now). Answers are the Anthropic and Gemini wires'; platform errors
 * (quota, auth, not found) are Google's google.rpc.Status JSON, the model's own overload is
 * Anthropic's 529 body.
 */
import { anthropicWire } from './anthropic-wire.js';
import { geminiWire } from './gemini-wire.js';
import type { SimErrorResponse, SimRoute, SimWire } from './wire.js';

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface VertexWireOptions {
  /** Is this bearer token valid now? Default: any token starting with `ya29.`. */
  tokenValid?: (token: string) => boolean;
}

function googleError(code: number, status: string, message: string): SimErrorResponse {
  return { status: code, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: `${JSON.stringify({ error: { code, message, status } }, null, 2)}\n` };
}

const PATH = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/(anthropic|google)\/models\/([^/:]+):([A-Za-z]+)$/;

function bearer(headers: Parameters<SimWire['authorized']>[0], valid: (t: string) => boolean): boolean {
  const h = headers.authorization;
  const m = /^Bearer\s+(\S+)$/.exec((Array.isArray(h) ? h[0] : h) ?? '');
  return m !== null && valid(m[1]!);
}

const UNAUTHENTICATED = googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.');

/** Platform errors shared by both publishers (status -> Google's shape), or undefined for the model's own. */
function platformError(status: number, model: string): SimErrorResponse | undefined {
  switch (status) {
    case 401: return UNAUTHENTICATED;
    case 403: return googleError(403, 'PERMISSION_DENIED', "Permission 'aiplatform.endpoints.predict' denied on resource (or it may not exist).");
    case 404: return googleError(404, 'NOT_FOUND', `Publisher Model \`${model}\` was not found or your project does not have access to it.`);
    case 429: return googleError(429, 'RESOURCE_EXHAUSTED', `Quota exceeded for aiplatform.googleapis.com/online_prediction_requests_per_base_model with base model: ${model}. Please submit a quota increase request.`);
    default: return undefined;
  }
}

export function createVertexAnthropicWire(opts: VertexWireOptions = {}): SimWire {
  const valid = opts.tokenValid ?? ((t: string) => t.startsWith('ya29.'));
  return {
    ...anthropicWire,
    provider: 'vertex-anthropic',
    overCapacityStatus: 429,

    route(method, url) {
      const m = PATH.exec(url.split('?')[0] ?? '');
      if (method !== 'POST' || !m || m[3] !== 'anthropic' || (m[5] !== 'rawPredict' && m[5] !== 'streamRawPredict')) return undefined;
      return { kind: 'chat', stream: m[5] === 'streamRawPredict', model: decodeURIComponent(m[4]!) };
    },

    authorized: (headers) => bearer(headers, valid),

    parseChat(body, route) {
      const invalid = (message: string) => ({ error: { status: 400, headers: {}, body: JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message } }) } });
      if (!isObj(body)) return invalid('Request body must be a JSON object');
      if (body.anthropic_version !== VERTEX_ANTHROPIC_VERSION) return invalid(`anthropic_version: Input should be '${VERTEX_ANTHROPIC_VERSION}'`);
      if ('model' in body) return invalid('model: Extra inputs are not permitted');
      const stream = route.kind === 'chat' && route.stream;
      if ((body.stream === true) !== stream) return invalid(stream ? 'stream: streamRawPredict needs "stream": true' : 'stream: rawPredict does not stream; use streamRawPredict');
      const model = route.kind === 'chat' ? route.model ?? '' : '';
      const { anthropic_version: _v, ...rest } = body;
      return anthropicWire.parseChat({ ...rest, model }, { kind: 'chat', stream });
    },

    embed(_body: unknown, _route: SimRoute) {
      return { error: googleError(400, 'INVALID_ARGUMENT', 'Not served by this simulator.') };
    },

    error(status, o) {
      if (o.variant === 'unauthorized') return UNAUTHENTICATED;
      if (o.variant === 'quota' || o.variant === 'over-capacity') return platformError(429, 'anthropic-claude')!;
      return platformError(status, 'anthropic-claude') ?? anthropicWire.error(status, o);
    },
  };
}

export function createVertexGeminiWire(opts: VertexWireOptions = {}): SimWire {
  const valid = opts.tokenValid ?? ((t: string) => t.startsWith('ya29.'));
  return {
    ...geminiWire,
    provider: 'vertex-gemini',

    route(method, url) {
      const m = PATH.exec(url.split('?')[0] ?? '');
      if (method !== 'POST' || !m || m[3] !== 'google') return undefined;
      if (m[5] === 'generateContent') return { kind: 'chat', stream: false, model: decodeURIComponent(m[4]!) };
      if (m[5] === 'streamGenerateContent') return { kind: 'chat', stream: true, model: decodeURIComponent(m[4]!) };
      return undefined;
    },

    authorized: (headers) => bearer(headers, valid),

    error(status, o) {
      if (o.variant === 'unauthorized') return UNAUTHENTICATED;
      return platformError(status, 'gemini') ?? geminiWire.error(status, o);
    },
  };
}
