import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError, type ErrorKind } from '../../core/errors.js';
import { anthropicMessages } from './index.js';
import { anthropicRetryAfterMs } from './errors.js';

function upstream(status: number, body: unknown, headers: Record<string, string> = {}) {
  return anthropicMessages.decodeError({
    status,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    header: (n) => headers[n],
    provider: 'claude-main',
  });
}
const errBody = (type: string, message: string) => ({ type: 'error', error: { type, message }, request_id: 'req_011Abc' });

test('encodeError: Anthropic error body and status per type', () => {
  const cases: [number, ErrorKind, number, string][] = [
    [400, 'client_error', 400, 'invalid_request_error'],
    [401, 'auth', 401, 'authentication_error'],
    [403, 'auth', 403, 'permission_error'],
    [404, 'client_error', 404, 'not_found_error'],
    [413, 'client_error', 413, 'request_too_large'],
    [429, 'rate_limited', 429, 'rate_limit_error'],
    [500, 'internal', 500, 'api_error'],
    [503, 'overloaded', 529, 'overloaded_error'],
    [529, 'overloaded', 529, 'overloaded_error'],
    [502, 'transient', 502, 'api_error'],
    [503, 'unavailable', 503, 'api_error'],
  ];
  for (const [status, kind, wantStatus, wantType] of cases) {
    const e = anthropicMessages.encodeError(new GatewayError({ code: 'upstream_error', message: `m${status}`, status, kind }));
    assert.equal(e.status, wantStatus, `${status}/${kind}`);
    assert.deepEqual(e.body, { type: 'error', error: { type: wantType, message: `m${status}` } });
  }
});

test('encodeError sets retry-after in whole seconds', () => {
  const e = anthropicMessages.encodeError(new GatewayError({ code: 'upstream_error', message: 'slow down', status: 429, kind: 'rate_limited', retryAfterMs: 1500 }));
  assert.equal(e.headers['retry-after'], '2');
});

test('decodeError: 529 overloaded_error is overloaded and retryable', () => {
  const e = upstream(529, errBody('overloaded_error', 'Overloaded'));
  assert.equal(e.kind, 'overloaded');
  assert.equal(e.retryable, true);
  assert.equal(e.upstreamType, 'overloaded_error');
  assert.equal(e.provider, 'claude-main');
  assert.match(e.message, /Overloaded/);
});

test('decodeError: 429 takes retry-after first, else the anthropic-ratelimit resets', () => {
  assert.equal(upstream(429, errBody('rate_limit_error', 'slow'), { 'retry-after': '7' }).retryAfterMs, 7000);
  const e = upstream(429, errBody('rate_limit_error', 'slow'));
  assert.equal(e.kind, 'rate_limited');
  assert.equal(e.retryAfterMs, undefined);
  const now = Date.parse('2025-01-01T00:00:00Z');
  const h: Record<string, string> = {
    'anthropic-ratelimit-requests-remaining': '10',
    'anthropic-ratelimit-requests-reset': '2025-01-01T00:00:05Z',
    'anthropic-ratelimit-tokens-remaining': '0',
    'anthropic-ratelimit-tokens-reset': '2025-01-01T00:00:20Z',
    'anthropic-ratelimit-input-tokens-remaining': '0',
    'anthropic-ratelimit-input-tokens-reset': '2025-01-01T00:00:30Z',
  };
  // The limits that are exhausted decide: wait until the last of them refills.
  assert.equal(anthropicRetryAfterMs((n) => h[n], now), 30_000);
  // None exhausted: the earliest future reset.
  const h2: Record<string, string> = { 'anthropic-ratelimit-requests-reset': '2025-01-01T00:00:05Z', 'anthropic-ratelimit-tokens-reset': '2025-01-01T00:00:20Z' };
  assert.equal(anthropicRetryAfterMs((n) => h2[n], now), 5_000);
});

test('decodeError: credit balance / spend limit 400s are quota_exhausted, not client errors', () => {
  const credit = upstream(400, errBody('invalid_request_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.'));
  assert.equal(credit.kind, 'quota_exhausted');
  assert.equal(credit.retryable, false);
  const spend = upstream(400, errBody('invalid_request_error', 'You have reached your specified API usage limits. You will regain access on 2025-02-01 at 00:00 UTC.'));
  assert.equal(spend.kind, 'quota_exhausted');
  assert.equal(upstream(400, errBody('invalid_request_error', 'max_tokens: Field required')).kind, 'client_error');
});

test('decodeError: auth, not found, server errors', () => {
  assert.equal(upstream(401, errBody('authentication_error', 'invalid x-api-key')).kind, 'auth');
  assert.equal(upstream(403, errBody('permission_error', 'no')).kind, 'auth');
  const nf = upstream(404, errBody('not_found_error', 'model: claude-nope'));
  assert.equal(nf.kind, 'client_error');
  assert.equal(nf.status, 404);
  assert.equal(upstream(500, errBody('api_error', 'Internal server error')).kind, 'transient');
});

test('decodeError: edge HTML gets a short clear message, not the page', () => {
  const e = upstream(502, '<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>');
  assert.equal(e.kind, 'transient');
  assert.match(e.message, /HTML page/);
  assert.doesNotMatch(e.message, /<html>/);
  assert.equal(upstream(503, '').kind, 'overloaded');
});

test('decodeError never echoes an API key', () => {
  const e = upstream(401, errBody('authentication_error', 'invalid x-api-key sk-ant-api03-SECRETSECRETSECRET'));
  assert.doesNotMatch(e.message, /SECRET/);
});
