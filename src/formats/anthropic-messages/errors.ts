/**
 * Anthropic error bodies both ways: `{type:'error', error:{type, message}, request_id?}`.
 * Types and statuses per Anthropic's "Errors" reference: 400 invalid_request_error,
 * 401 authentication_error, 402 billing_error, 403 permission_error, 404 not_found_error,
 * 413 request_too_large, 429 rate_limit_error, 500 api_error, 504 timeout_error,
 * 529 overloaded_error.
 */
import { gatewayError, GatewayError, kindForStatus, retryAfterFromHeaders, type ErrorKind, upstreamCode } from '../../core/errors.js';
import type { EncodedError, UpstreamErrorInput } from '../types.js';

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** Status and Anthropic error type a client should see for a gateway error. */
export function anthropicErrorShape(err: GatewayError): { status: number; type: string } {
  // Anthropic clients (and their SDK's retry logic) know overload as 529, whatever the upstream said.
  if (err.kind === 'overloaded') return { status: 529, type: 'overloaded_error' };
  if (err.kind === 'rate_limited') return { status: 429, type: 'rate_limit_error' };
  const status = err.status;
  return { status, type: TYPE_BY_STATUS[status] ?? (status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error') };
}

export function encodeAnthropicError(err: GatewayError): EncodedError {
  const { status, type } = anthropicErrorShape(err);
  const headers: Record<string, string> = {};
  if (err.retryAfterMs !== undefined) headers['retry-after'] = String(Math.max(0, Math.ceil(err.retryAfterMs / 1000)));
  return { status, headers, body: { type: 'error', error: { type, message: err.message } } };
}

/** Keys must never travel on in a message, even if an upstream echoed one. */
function scrub(message: string): string {
  const clean = message.replace(/\b(sk-ant-|sk-)[A-Za-z0-9_-]{6,}/g, '[redacted]').replace(/\s+/g, ' ').trim();
  return clean.length > 500 ? `${clean.slice(0, 500)}…` : clean;
}

/** Anthropic bills prepaid credit; running out is a 400 (or 403) invalid_request_error, not a 429. */
const QUOTA_MESSAGE = /credit balance is too low|spend(ing)? limit|usage limits?|purchase credits|billing/i;


/** The kind an Anthropic error type/status/message means for routing. */
export function kindForAnthropicError(status: number, type: string | undefined, message: string): ErrorKind {
  if (type === 'overloaded_error' || status === 529) return 'overloaded';
  if (type === 'billing_error' || status === 402) return 'quota_exhausted';
  if ((status === 400 || status === 403 || type === 'invalid_request_error' || type === 'permission_error') && QUOTA_MESSAGE.test(message)) return 'quota_exhausted';
  if (type === 'rate_limit_error') return 'rate_limited';
  if (type === 'authentication_error' || type === 'permission_error') return 'auth';
  if (type === 'timeout_error') return 'timeout';
  if (type === 'api_error') return status >= 500 ? kindForStatus(status) : 'transient';
  return kindForStatus(status);
}

const RESET_HEADERS = ['requests', 'tokens', 'input-tokens', 'output-tokens'];

/**
 * How long to wait on a 429: Retry-After (seconds) first; else the anthropic-ratelimit-*-reset
 * timestamps (RFC 3339). A limit whose `-remaining` is 0 is the one that was hit, so the latest
 * such reset is when every exhausted limit has refilled; if none says 0, the earliest future reset.
 */
export function anthropicRetryAfterMs(header: (name: string) => string | undefined, now = Date.now()): number | undefined {
  const ra = retryAfterFromHeaders(header, now);
  if (ra !== undefined) return ra;
  const exhausted: number[] = [];
  const future: number[] = [];
  for (const name of RESET_HEADERS) {
    const reset = header(`anthropic-ratelimit-${name}-reset`);
    const at = reset === undefined ? NaN : Date.parse(reset);
    if (!Number.isFinite(at) || at <= now) continue;
    future.push(at - now);
    if (header(`anthropic-ratelimit-${name}-remaining`)?.trim() === '0') exhausted.push(at - now);
  }
  if (exhausted.length > 0) return Math.max(...exhausted);
  return future.length > 0 ? Math.min(...future) : undefined;
}

interface ParsedBody {
  type?: string;
  message?: string;
  requestId?: string;
}

function parseBody(body: string): ParsedBody | undefined {
  try {
    const j = JSON.parse(body) as { error?: { type?: unknown; message?: unknown }; request_id?: unknown };
    if (typeof j !== 'object' || j === null || typeof j.error !== 'object' || j.error === null) return undefined;
    const out: ParsedBody = {};
    if (typeof j.error.type === 'string') out.type = j.error.type;
    if (typeof j.error.message === 'string') out.message = j.error.message;
    if (typeof j.request_id === 'string') out.requestId = j.request_id;
    return out;
  } catch {
    return undefined;
  }
}

/** Build the typed error for an Anthropic error type (HTTP error bodies and in-stream `event: error`). */
export function anthropicError(opts: {
  status: number;
  type?: string;
  message: string;
  provider?: string;
  retryAfterMs?: number;
  requestId?: string;
}): GatewayError {
  const kind = kindForAnthropicError(opts.status, opts.type, opts.message);
  const who = opts.provider ?? 'anthropic';
  const rid = opts.requestId ? ` (request ${opts.requestId})` : '';
  return gatewayError(upstreamCode(kind), `${who}: ${scrub(opts.message)}${rid}`, { status: opts.status, kind, upstreamStatus: opts.status, ...(opts.type === undefined ? {} : { upstreamType: opts.type }), ...(opts.provider === undefined ? {} : { provider: opts.provider }), ...(opts.retryAfterMs === undefined ? {} : { retryAfterMs: opts.retryAfterMs }) });
}

/** Status Anthropic uses for an error type, for in-stream errors that carry no HTTP status. */
export function statusForAnthropicType(type: string | undefined): number {
  for (const [status, t] of Object.entries(TYPE_BY_STATUS)) if (t === type) return Number(status);
  return 500;
}

export function decodeAnthropicError(input: UpstreamErrorInput): GatewayError {
  const parsed = parseBody(input.body);
  const retryAfterMs = input.status === 429 || input.status === 529 ? anthropicRetryAfterMs(input.header) : undefined;
  const requestId = parsed?.requestId ?? input.header('request-id');
  if (!parsed) {
    // Edge/CDN pages (HTML) or empty bodies: say what happened without dumping the page.
    const looksHtml = /^\s*</.test(input.body);
    const what = input.body.trim() === '' ? 'an empty body' : looksHtml ? 'an HTML page (likely an edge or proxy error)' : 'a body that is not an Anthropic error';
    return anthropicError({
      status: input.status,
      message: `HTTP ${input.status} with ${what}`,
      provider: input.provider,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
  return anthropicError({
    status: input.status,
    message: parsed.message ?? `HTTP ${input.status}`,
    provider: input.provider,
    ...(parsed.type === undefined ? {} : { type: parsed.type }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(requestId === undefined ? {} : { requestId }),
  });
}
