/**
 * What to do after one delivery attempt. Mirrors the gateway's own error
 * classes (DESIGN.md): 4xx other than 408/429 mean the request or the URL is
 * wrong (a revoked Slack webhook answers 404/410, a bad payload 400) and
 * retrying cannot help; 408, 429, 5xx and network errors are transient.
 */
import { fullJitterDelay } from '../core/backoff.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound on an honoured Retry-After, so a hostile header cannot park a delivery for a day. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, maxRetryAfterMs: 10 * 60_000 };

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Retry-After is delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Returns ms
 * from `now`, or undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Delay before attempt number `attempt + 1` (attempt counts from 1). */
export function retryDelay(policy: RetryPolicy, attempt: number, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return fullJitterDelay(attempt - 1, policy.baseDelayMs, policy.maxDelayMs, random);
}
