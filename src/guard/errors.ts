/**
 * Every refusal the guard makes, once, with its code, status and kind (model: fastify's
 * lib/errors.js; codes are never reused for another meaning). They become HTTP in each format's
 * encodeError like any GatewayError: 401 is OpenAI `authentication_error` / Anthropic
 * `authentication_error`, 403 `permission_error`, 429 `rate_limit_error` (OpenAI
 * `insufficient_quota` for a spent budget), 503 overload (Anthropic clients see 529).
 * Messages never contain a key: at most its non-secret prefix.
 */
import { GatewayError } from '../core/errors.js';

const SECOND = 1000;

function seconds(ms: number): string {
  const s = ms / SECOND;
  return s < 10 ? `${Math.ceil(s * 10) / 10} s` : `${Math.ceil(s)} s`;
}

/** No key, a malformed one, or one nobody issued: the same answer, so a probe learns nothing. */
export function invalidApiKey(why: 'missing' | 'unknown'): GatewayError {
  return new GatewayError({
    code: 'invalid_api_key',
    message:
      why === 'missing'
        ? 'No API key provided. This gateway requires a virtual key (sk-sy-...) in the Authorization header (Bearer) or in x-api-key.'
        : 'Incorrect API key provided. Ask the gateway administrator for a valid virtual key (sk-sy-...).',
    status: 401,
    kind: 'auth',
  });
}

export function keyRevoked(prefix: string): GatewayError {
  return new GatewayError({ code: 'key_revoked', message: `The API key ${prefix}… has been revoked. Ask the gateway administrator for a new one.`, status: 401, kind: 'auth' });
}

export function keyExpired(prefix: string): GatewayError {
  return new GatewayError({ code: 'key_expired', message: `The API key ${prefix}… has expired. Ask the gateway administrator to renew it.`, status: 401, kind: 'auth' });
}

/** The old key of a rotation, after its grace period. */
export function keyRotated(prefix: string): GatewayError {
  return new GatewayError({ code: 'key_rotated', message: `The API key ${prefix}… was replaced by a new key and its grace period has ended. Use the new key.`, status: 401, kind: 'auth' });
}

export function aliasNotAllowed(alias: string, prefix: string): GatewayError {
  return new GatewayError({
    code: 'alias_not_allowed',
    message: `The API key ${prefix}… may not use the model "${alias.slice(0, 100)}". Ask the gateway administrator to allow it.`,
    status: 403,
    kind: 'auth',
    param: 'model',
  });
}

export type RateLimitKind = 'requests' | 'tokens' | 'concurrency';

const LIMIT_WORDS: Record<RateLimitKind, string> = {
  requests: 'requests per minute',
  tokens: 'tokens per minute',
  concurrency: 'concurrent requests',
};

/** A per-key or per-team limit; `retryAfterMs` is the real time until this request would pass. */
export function rateLimited(who: string, limit: RateLimitKind, max: number | undefined, retryAfterMs: number): GatewayError {
  const cap = max === undefined ? '' : ` (limit ${max})`;
  return new GatewayError({
    code: limit === 'concurrency' ? 'too_many_concurrent_requests' : 'rate_limited',
    message: `Rate limit reached for ${who} on ${LIMIT_WORDS[limit]}${cap}. Please try again in ${seconds(retryAfterMs)}.`,
    status: 429,
    kind: 'rate_limited',
    retryAfterMs,
  });
}

/** More than a limit allows at all (e.g. a request estimated above the key's whole TPM): waiting never helps. */
export function exceedsLimit(who: string, limit: RateLimitKind, max: number | undefined, requested: number): GatewayError {
  return new GatewayError({
    code: 'request_exceeds_limit',
    message: `This request (${requested} ${limit === 'tokens' ? 'tokens, estimated' : 'requests'}) is larger than the ${LIMIT_WORDS[limit]} limit of ${who}${max === undefined ? '' : ` (${max})`}: it can never pass. Lower max_tokens or shorten the prompt.`,
    status: 429,
    kind: 'client_error',
  });
}

const PERIOD_WORDS = { day: 'daily', week: 'weekly', month: 'monthly' } as const;

/** The key's (or team's) budget for the period is spent: no retry helps before the period ends. */
export function budgetExhausted(who: string, period: 'day' | 'week' | 'month', retryAfterMs: number): GatewayError {
  return new GatewayError({
    code: 'budget_exhausted',
    message: `The ${PERIOD_WORDS[period]} spend budget of ${who} is exhausted. It resets in ${seconds(retryAfterMs)}; ask the gateway administrator to raise it.`,
    status: 429,
    kind: 'quota_exhausted',
    retryAfterMs,
  });
}

/** Too many requests from one address while the gateway runs without keys (auth: none). */
export function ipRateLimited(retryAfterMs: number): GatewayError {
  return new GatewayError({
    code: 'rate_limited',
    message: `Too many requests from your address. Please try again in ${seconds(retryAfterMs)}.`,
    status: 429,
    kind: 'rate_limited',
    retryAfterMs,
  });
}

/** The gateway itself is over its line (not a provider): a fast 503 instead of a slow answer for everyone. */
export function gatewayOverloaded(retryAfterMs: number): GatewayError {
  return new GatewayError({
    code: 'gateway_overloaded',
    message: `This gateway is busy right now and turned this request away to keep the requests it is already serving fast. The AI provider is not at fault. Please try again in ${seconds(retryAfterMs)}.`,
    status: 503,
    kind: 'overloaded',
    retryAfterMs,
  });
}
