/** Google error bodies (google.rpc.Status JSON) -> typed errors. Bodies follow real ones reported in public issues. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeError, msUntilPacificMidnight } from './errors.js';

function input(status: number, body: unknown, headers: Record<string, string> = {}) {
  return { status, body: typeof body === 'string' ? body : JSON.stringify(body, null, 2), header: (n: string) => headers[n], provider: 'gem' };
}

test('429 RESOURCE_EXHAUSTED with RetryInfo -> rate_limited with retryAfterMs', () => {
  const e = decodeError(
    input(429, {
      error: {
        code: 429,
        message: 'You exceeded your current quota, please check your plan and billing details.\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 15\nPlease retry in 5.2s.',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier', quotaValue: '15' }] },
          { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Learn more', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '5s' },
        ],
      },
    }),
  );
  assert.equal(e.kind, 'rate_limited');
  assert.equal(e.retryable, true);
  assert.equal(e.status, 429);
  assert.equal(e.retryAfterMs, 5000);
  assert.equal(e.upstreamType, 'RESOURCE_EXHAUSTED');
  assert.equal(e.provider, 'gem');
});

test('fractional retryDelay, and Retry-After when no RetryInfo', () => {
  const frac = decodeError(input(429, { error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.5s' }] } }));
  assert.equal(frac.retryAfterMs, 500);
  const header = decodeError(input(429, { error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' } }, { 'retry-after': '3' }));
  assert.equal(header.kind, 'rate_limited');
  assert.equal(header.retryAfterMs, 3000);
});

test('a per-day QuotaFailure (or ErrorInfo quota_limit PerDay) -> quota_exhausted, parked until the daily reset', () => {
  const e = decodeError(
    input(429, {
      error: {
        code: 429,
        message: 'You exceeded your current quota, please check your plan and billing details.',
        status: 'RESOURCE_EXHAUSTED',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', quotaValue: '50' }] },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '36s' },
        ],
      },
    }),
  );
  assert.equal(e.kind, 'quota_exhausted');
  assert.equal(e.retryable, false);
  assert.ok(e.retryAfterMs !== undefined && e.retryAfterMs >= 1000 && e.retryAfterMs <= 86_400_000);
  const info = decodeError(input(429, { error: { code: 429, message: 'Quota exceeded.', status: 'RESOURCE_EXHAUSTED', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RATE_LIMIT_EXCEEDED', metadata: { quota_limit: 'Gemini25ProRequestsPerDay' } }] } }));
  assert.equal(info.kind, 'quota_exhausted');
  // Wrapped in an array, as some Google front ends send it.
  const wrapped = decodeError(input(429, [{ error: { code: 429, message: 'You have exhausted your daily quota on this model.', status: 'RESOURCE_EXHAUSTED' } }]));
  assert.equal(wrapped.kind, 'quota_exhausted');
});

test('Pacific midnight: at 23:00 PST one hour remains', () => {
  // 2024-01-15T23:00:00-08:00 = 2024-01-16T07:00:00Z (PST, no DST)
  assert.equal(msUntilPacificMidnight(Date.UTC(2024, 0, 16, 7, 0, 0)), 3_600_000);
});

test('400 / 403 / 404 / 500 / 503 / 504', () => {
  const g = (code: number, status: string, message: string, details?: unknown[]) => decodeError(input(code, { error: { code, message, status, ...(details ? { details } : {}) } }));
  const bad = g(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unknown name "foo": Cannot find field.');
  assert.deepEqual([bad.kind, bad.status, bad.retryable], ['client_error', 400, false]);
  assert.equal(g(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.').kind, 'client_error');
  const key = g(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }]);
  assert.deepEqual([key.kind, key.status, key.upstreamCode], ['auth', 401, 'API_KEY_INVALID']);
  assert.equal(g(403, 'PERMISSION_DENIED', 'Method doesn\'t allow unregistered callers.').kind, 'auth');
  assert.equal(g(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.').kind, 'auth');
  const nf = g(404, 'NOT_FOUND', 'models/nope is not found for API version v1beta, or is not supported for generateContent.');
  assert.deepEqual([nf.kind, nf.status, nf.code], ['client_error', 404, 'upstream_not_found']);
  assert.deepEqual([g(500, 'INTERNAL', 'An internal error has occurred.').kind, g(500, 'INTERNAL', 'x').retryable], ['transient', true]);
  const over = g(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.');
  assert.deepEqual([over.kind, over.retryable], ['overloaded', true]);
  assert.match(over.message, /overloaded/);
  assert.equal(g(504, 'DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.').kind, 'timeout');
});

test('non-JSON (edge HTML) bodies get a short clear message by status', () => {
  const e = decodeError(input(502, '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1>' + 'x'.repeat(5000) + '</body></html>'));
  assert.equal(e.kind, 'transient');
  assert.ok(e.message.length < 200);
  assert.match(e.message, /HTML/);
  assert.equal(decodeError(input(503, '')).kind, 'overloaded');
});

test('never echoes an API key that shows up in a message', () => {
  const key = 'AIzaSyFAKE0123456789abcdefghijklmnopqrs';
  const e = decodeError(input(400, { error: { code: 400, message: `Bad request for https://generativelanguage.googleapis.com/v1beta/models/x?key=${key}`, status: 'INVALID_ARGUMENT' } }));
  assert.ok(!e.message.includes(key));
});
