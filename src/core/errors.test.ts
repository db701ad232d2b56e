import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError, kindForStatus, retryAfterFromHeaders, toGatewayError } from './errors.js';

test('retryable follows the kind unless said otherwise', () => {
  assert.equal(new GatewayError({ code: 'upstream_overloaded', message: 'x', status: 529, kind: 'overloaded' }).retryable, true);
  assert.equal(new GatewayError({ code: 'upstream_quota_exhausted', message: 'x', status: 429, kind: 'quota_exhausted' }).retryable, false);
  assert.equal(new GatewayError({ code: 'invalid_request', message: 'x', status: 400, kind: 'client_error' }).retryable, false);
});

test('status classes map to the routing decision of DESIGN.md', () => {
  assert.deepEqual([400, 401, 403, 404, 413, 429, 500, 502, 503, 504, 529].map(kindForStatus), [
    'client_error', 'auth', 'auth', 'client_error', 'client_error', 'rate_limited', 'transient', 'transient', 'overloaded', 'timeout', 'overloaded',
  ]);
});

test('Retry-After in seconds, HTTP date and retry-after-ms', () => {
  const h = (m: Record<string, string>) => (n: string) => m[n];
  assert.equal(retryAfterFromHeaders(h({ 'retry-after': '5' })), 5000);
  assert.equal(retryAfterFromHeaders(h({ 'retry-after-ms': '250', 'retry-after': '5' })), 250);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(retryAfterFromHeaders(h({ 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }), now), 7000);
  assert.equal(retryAfterFromHeaders(h({ 'retry-after': 'soon' })), undefined);
  assert.equal(retryAfterFromHeaders(h({})), undefined);
});

test('unknown throwables become a 500 internal error that keeps the cause', () => {
  const boom = new TypeError('boom');
  const e = toGatewayError(boom);
  assert.equal(e.status, 500);
  assert.equal(e.kind, 'internal');
  assert.equal(e.cause, boom);
  assert.doesNotMatch(e.message, /boom/, 'internal details are not shown to clients');
});
