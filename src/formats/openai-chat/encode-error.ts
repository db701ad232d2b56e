/**
 * The single place a GatewayError becomes an OpenAI-shaped HTTP error:
 * {"error":{"message","type","param","code"}} (API reference, Error object). The
 * official SDKs pick the exception class from the status and retry per Retry-After.
 */
import type { GatewayError } from '../../core/errors.js';
import type { EncodedError } from '../types.js';
import type { OpenAIErrorBody } from './wire-types.js';

/**
 * Error types OpenAI (and Anthropic, which shares most names) really send; an
 * upstream's own type is kept only when it is one of these, so clients never
 * see a type their SDK doesn't know.
 */
const KNOWN_TYPES = new Set([
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'rate_limit_error',
  'insufficient_quota',
  'server_error',
  'api_error',
  'requests',
  'tokens',
]);

export function errorType(err: GatewayError): string {
  if (err.upstreamType !== undefined && KNOWN_TYPES.has(err.upstreamType)) return err.upstreamType;
  if (err.kind === 'quota_exhausted') return 'insufficient_quota';
  const s = err.status;
  if (s === 401) return 'authentication_error';
  if (s === 403) return 'permission_error';
  if (s === 404) return 'not_found_error';
  if (s === 429) return 'rate_limit_error';
  if (s >= 400 && s < 500) return 'invalid_request_error';
  return 'api_error';
}

export function errorBody(err: GatewayError): OpenAIErrorBody {
  // An OpenAI upstream's own code (rate_limit_exceeded, context_length_exceeded...) means more to an OpenAI client.
  const upstreamIsOpenAI = err.upstreamType !== undefined && KNOWN_TYPES.has(err.upstreamType);
  const code = upstreamIsOpenAI && err.upstreamCode !== undefined ? err.upstreamCode : err.code;
  return { error: { message: err.message, type: errorType(err), param: err.param ?? null, code } };
}

export function encodeError(err: GatewayError): EncodedError {
  const headers: Record<string, string> = {};
  if (err.retryAfterMs !== undefined) headers['retry-after'] = String(Math.max(0, Math.ceil(err.retryAfterMs / 1000)));
  return { status: err.status, headers, body: errorBody(err) };
}
