/**
 * Guard refusals through every client format's encodeError (the one place errors become HTTP):
 * what an OpenAI or Anthropic SDK client sees.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { anthropicMessages } from '../formats/anthropic-messages/index.js';
import { openaiChat } from '../formats/openai-chat/index.js';
import { openaiResponses } from '../formats/openai-responses/index.js';
import { aliasNotAllowed, budgetExhausted, exceedsLimit, gatewayOverloaded, invalidApiKey, ipRateLimited, keyExpired, keyRevoked, keyRotated, rateLimited } from './errors.js';

const openai = (e: Parameters<typeof openaiChat.encodeError>[0]) => {
  const enc = openaiChat.encodeError(e);
  assert.deepEqual(openaiResponses.encodeError(e), enc);
  const body = enc.body as { error: { type: string; code: string; message: string } };
  return [enc.status, body.error.type, body.error.code, enc.headers['retry-after']];
};
const anthropic = (e: Parameters<typeof openaiChat.encodeError>[0]) => {
  const enc = anthropicMessages.encodeError(e);
  return [enc.status, (enc.body as { error: { type: string } }).error.type, enc.headers['retry-after']];
};

it('auth refusals are 401 invalid_api_key / authentication_error in the client\'s own format', () => {
  assert.deepEqual(openai(invalidApiKey('missing')), [401, 'authentication_error', 'invalid_api_key', undefined]);
  assert.deepEqual(anthropic(invalidApiKey('unknown')), [401, 'authentication_error', undefined]);
  for (const e of [keyRevoked('sk-sy-AbCd'), keyExpired('sk-sy-AbCd'), keyRotated('sk-sy-AbCd')]) {
    assert.equal(e.status, 401);
    assert.equal(anthropic(e)[1], 'authentication_error');
    assert.match(e.message, /sk-sy-AbCd…/);
  }
  assert.deepEqual(openai(aliasNotAllowed('smart', 'sk-sy-AbCd')), [403, 'permission_error', 'alias_not_allowed', undefined]);
  assert.deepEqual(anthropic(aliasNotAllowed('smart', 'sk-sy-AbCd')), [403, 'permission_error', undefined]);
});

it('limits are 429s with Retry-After from the real wait; a spent budget says insufficient_quota and is not retryable', () => {
  assert.deepEqual(openai(rateLimited('key "ci" (sk-sy-AbCd…)', 'requests', 60, 1_200)), [429, 'rate_limit_error', 'rate_limited', '2']);
  assert.deepEqual(anthropic(rateLimited('key "ci"', 'tokens', 1000, 59_001)), [429, 'rate_limit_error', '60']);
  assert.equal(rateLimited('x', 'concurrency', 2, 1000).code, 'too_many_concurrent_requests');
  const budget = budgetExhausted('key "ci"', 'day', 3_600_000);
  assert.equal(budget.retryable, false);
  assert.deepEqual(openai(budget), [429, 'insufficient_quota', 'budget_exhausted', '3600']);
  assert.match(budget.message, /daily spend budget/);
  assert.deepEqual(anthropic(budget), [429, 'rate_limit_error', '3600']);
  const big = exceedsLimit('key "ci"', 'tokens', 1000, 5000);
  assert.equal(big.retryable, false);
  assert.deepEqual(openai(big), [429, 'rate_limit_error', 'request_exceeds_limit', undefined]);
  assert.deepEqual(openai(ipRateLimited(500)), [429, 'rate_limit_error', 'rate_limited', '1']);
});

it('overload is the gateway saying it is busy: OpenAI 503, Anthropic 529 overloaded_error', () => {
  const e = gatewayOverloaded(1000);
  assert.deepEqual(openai(e), [503, 'api_error', 'gateway_overloaded', '1']);
  assert.deepEqual(anthropic(e), [529, 'overloaded_error', '1']);
  assert.match(e.message, /gateway is busy.*not at fault/);
});
