import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../core/errors.js';
import type { UpstreamErrorInput } from '../types.js';
import { openaiChat, parseDuration, scrubSecrets } from './index.js';

function upstream(status: number, body: string, headers: Record<string, string> = {}): UpstreamErrorInput {
  return { status, body, provider: 'openai-main', header: (n) => headers[n] };
}

test('429 rate limit: retryable, wait from the longest spent limit reset', () => {
  const body = JSON.stringify({
    error: { message: 'Rate limit reached for gpt-4o in organization org-x on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms.', type: 'requests', param: null, code: 'rate_limit_exceeded' },
  });
  const e = openaiChat.decodeError(
    upstream(429, body, { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0s', 'x-ratelimit-remaining-tokens': '5000', 'x-ratelimit-reset-tokens': '20ms' }),
  );
  assert.equal(e.kind, 'rate_limited');
  assert.equal(e.retryable, true);
  assert.equal(e.status, 429);
  assert.equal(e.retryAfterMs, 360_000);
  assert.equal(e.upstreamCode, 'rate_limit_exceeded');
  assert.equal(e.provider, 'openai-main');
  // Retry-After counts too; the message's "try again in" is only a last resort.
  assert.equal(openaiChat.decodeError(upstream(429, body, { 'retry-after': '2' })).retryAfterMs, 2000);
  assert.equal(openaiChat.decodeError(upstream(429, body)).retryAfterMs, 120);
});

test('429 insufficient_quota: quota_exhausted, never retried', () => {
  const body = JSON.stringify({
    error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' },
  });
  const e = openaiChat.decodeError(upstream(429, body));
  assert.equal(e.kind, 'quota_exhausted');
  assert.equal(e.retryable, false);
  const enc = openaiChat.encodeError(e);
  assert.deepEqual(enc.body, { error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } });
});

test('503 overloaded and 500 server_error are retryable', () => {
  const e503 = openaiChat.decodeError(upstream(503, '{"error":{"message":"The engine is currently overloaded, please try again later","type":"server_error","param":null,"code":null}}'));
  assert.equal(e503.kind, 'overloaded');
  assert.match(e503.message, /overloaded/);
  const e500 = openaiChat.decodeError(upstream(500, '{"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}'));
  assert.equal(e500.kind, 'transient');
  assert.equal(e500.retryable, true);
});

test('non-JSON and unexpected bodies say what came back, briefly', () => {
  const html = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>';
  const e = openaiChat.decodeError(upstream(502, html, { 'content-type': 'text/html' }));
  assert.equal(e.kind, 'transient');
  assert.equal(e.status, 502);
  assert.match(e.message, /openai-main returned HTTP 502 with an HTML error page \("502 Bad Gateway"\)/);
  assert.doesNotMatch(e.message, /<center>/);
  // Seen during the 2023-11-08 DDoS.
  const odd = openaiChat.decodeError(upstream(429, '{"status":"come back later"}'));
  assert.equal(odd.kind, 'rate_limited');
  assert.match(odd.message, /unexpected body: \{"status":"come back later"\}/);
  assert.match(openaiChat.decodeError(upstream(503, '')).message, /empty body/);
  // Ollama's shape.
  assert.equal(openaiChat.decodeError(upstream(404, '{"error":"model \'llama9\' not found"}')).message, "model 'llama9' not found");
});

test('API keys in upstream messages are redacted', () => {
  const e = openaiChat.decodeError(
    upstream(401, '{"error":{"message":"Incorrect API key provided: sk-abc***xyz. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}'),
  );
  assert.equal(e.kind, 'auth');
  assert.equal(e.message, 'Incorrect API key provided: [redacted]. You can find your API key at https://platform.openai.com/account/api-keys.');
  assert.equal(scrubSecrets('key sk-proj-FAKE1234 and Bearer abcdefghijk'), 'key [redacted] and Bearer [redacted]');
  assert.equal(scrubSecrets('Incorrect API key provided: my-own-key'), 'Incorrect API key provided: [redacted]');
});

test('encodeError: OpenAI shape, type by status, retry-after in whole seconds', () => {
  const e = new GatewayError({ code: 'invalid_request', message: 'bad', status: 400, kind: 'client_error', param: 'messages[2].content' });
  assert.deepEqual(openaiChat.encodeError(e), { status: 400, headers: {}, body: { error: { message: 'bad', type: 'invalid_request_error', param: 'messages[2].content', code: 'invalid_request' } } });
  const cases: Array<[number, string]> = [[401, 'authentication_error'], [403, 'permission_error'], [404, 'not_found_error'], [413, 'invalid_request_error'], [429, 'rate_limit_error'], [503, 'api_error'], [500, 'api_error']];
  for (const [status, type] of cases) {
    const g = new GatewayError({ code: 'upstream_error', message: 'm', status, kind: 'transient' });
    assert.equal((openaiChat.encodeError(g).body as { error: { type: string } }).error.type, type, String(status));
  }
  const rl = new GatewayError({ code: 'upstream_rate_limited', message: 'slow down', status: 429, kind: 'rate_limited', retryAfterMs: 1200 });
  assert.deepEqual(openaiChat.encodeError(rl).headers, { 'retry-after': '2' });
  // An Anthropic-only type is not passed to OpenAI clients.
  const anth = new GatewayError({ code: 'upstream_overloaded', message: 'Overloaded', status: 529, kind: 'overloaded', upstreamType: 'overloaded_error' });
  assert.deepEqual(openaiChat.encodeError(anth).body, { error: { message: 'Overloaded', type: 'api_error', param: null, code: 'upstream_overloaded' } });
});

test('parseDuration reads OpenAI reset headers', () => {
  assert.equal(parseDuration('1s'), 1000);
  assert.equal(parseDuration('6m0s'), 360_000);
  assert.equal(parseDuration('20ms'), 20);
  assert.equal(parseDuration('1h2m3.5s'), 3_723_500);
  assert.equal(parseDuration('soon'), undefined);
});

test('other vendors key shapes are redacted too; prefixed request ids are not', () => {
  assert.equal(scrubSecrets('bad key pplx-abcdef123456 for gsk_ABCDEFGH1234'), 'bad key [redacted] for [redacted]');
  assert.equal(scrubSecrets('Access denied due to invalid subscription key 0123456789abcdef0123456789abcdef.'), 'Access denied due to invalid subscription key [redacted].');
  assert.equal(scrubSecrets('request req_0123456789abcdef0123456789abcdef failed'), 'request req_0123456789abcdef0123456789abcdef failed');
});
