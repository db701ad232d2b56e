/**
 * Every refusal the guard makes, built from the error catalogue (core/error-codes.ts). They become HTTP in each format's
 * encodeError like any GatewayError: 401 is OpenAI `authentication_error` / Anthropic
 * `authentication_error`, 403 `permission_error`, 429 `rate_limit_error` (OpenAI
 * `insufficient_quota` for a spent budget), 503 overload (Anthropic clients see 529).
 * Messages never contain a key: at most its non-secret prefix.
 */
import { gatewayError, type GatewayError } from '../core/errors.js';

const SECOND = 1000;

function seconds(ms: number): string {
  const s = ms / SECOND;
  return s < 10 ? `${Math.ceil(s * 10) / 10} s` : `${Math.ceil(s)} s`;
}

/** No key, a malformed one, or one nobody issued: the same answer, so a probe learns nothing. */
export function invalidApiKey(why: 'missing' | 'unknown'): GatewayError {
  return gatewayError(
    'invalid_api_key',
    why === 'missing'
      ? 'No API key provided. This gateway requires a virtual key (sk-sy-...) in the Authorization header (Bearer) or in x-api-key.'
      : 'Incorrect API key provided. Ask the gateway administrator for a valid virtual key (sk-sy-...).',
  );
}

export function keyRevoked(prefix: string): GatewayError {
  return gatewayError('key_revoked', `The API key ${prefix}… has been revoked. Ask the gateway administrator for a new one.`);
}

export function keyExpired(prefix: string): GatewayError {
  return gatewayError('key_expired', `The API key ${prefix}… has expired. Ask the gateway administrator to renew it.`);
}

/** The old key of a rotation, after its grace period. */
export function keyRotated(prefix: string): GatewayError {
  return gatewayError('key_rotated', `The API key ${prefix}… was replaced by a new key and its grace period has ended. Use the new key.`);
}

export function aliasNotAllowed(alias: string, prefix: string): GatewayError {
  return gatewayError('alias_not_allowed', `The API key ${prefix}… may not use the model "${alias.slice(0, 100)}". Ask the gateway administrator to allow it.`, { param: 'model' });
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
  const code = limit === 'concurrency' ? 'too_many_concurrent_requests' : 'rate_limited';
  return gatewayError(code, `Rate limit reached for ${who} on ${LIMIT_WORDS[limit]}${cap}. Please try again in ${seconds(retryAfterMs)}.`, { retryAfterMs });
}

/** More than a limit allows at all (e.g. a request estimated above the key's whole TPM): waiting never helps. */
export function exceedsLimit(who: string, limit: RateLimitKind, max: number | undefined, requested: number): GatewayError {
  const what = `${requested} ${limit === 'tokens' ? 'tokens, estimated' : 'requests'}`;
  return gatewayError('request_exceeds_limit', `This request (${what}) is larger than the ${LIMIT_WORDS[limit]} limit of ${who}${max === undefined ? '' : ` (${max})`}: it can never pass. Lower max_tokens or shorten the prompt.`);
}

const PERIOD_WORDS = { day: 'daily', week: 'weekly', month: 'monthly' } as const;

/** The key's (or team's) budget for the period is spent: no retry helps before the period ends. */
export function budgetExhausted(who: string, period: 'day' | 'week' | 'month', retryAfterMs: number): GatewayError {
  return gatewayError('budget_exhausted', `The ${PERIOD_WORDS[period]} spend budget of ${who} is exhausted. It resets in ${seconds(retryAfterMs)}; ask the gateway administrator to raise it.`, { retryAfterMs });
}

/** Too many requests from one address while the gateway runs without keys (auth: none). */
export function ipRateLimited(retryAfterMs: number): GatewayError {
  return gatewayError('rate_limited', `Too many requests from your address. Please try again in ${seconds(retryAfterMs)}.`, { retryAfterMs });
}

/** The gateway itself is over its line (not a provider): a fast 503 instead of a slow answer for everyone. */
export function gatewayOverloaded(retryAfterMs: number): GatewayError {
  return gatewayError(
    'gateway_overloaded',
    `This gateway is busy right now and turned this request away to keep the requests it is already serving fast. The AI provider is not at fault. Please try again in ${seconds(retryAfterMs)}.`,
    { retryAfterMs },
  );
}
