import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBedrockError, exceptionName } from './bedrock-errors.js';

const input = (status: number, body: string, headers: Record<string, string> = {}) => ({ status, body, provider: 'bedrock-east', header: (n: string) => headers[n] });

test("Bedrock's HTTP errors keep their meaning: the type from x-amzn-ErrorType or __type", () => {
  const cases: Array<[number, string, Record<string, string>, string, number]> = [
    [429, '{"message":"Too many requests, please wait before trying again."}', { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' }, 'rate_limited', 429],
    [429, '{"message":"Model is not ready"}', { 'x-amzn-errortype': 'ModelNotReadyException' }, 'overloaded', 503],
    [503, '{"message":"Bedrock is unable to process your request."}', { 'x-amzn-errortype': 'ServiceUnavailableException' }, 'overloaded', 503],
    [500, '{"__type":"com.amazon.coral.service#InternalServerException","message":"x"}', {}, 'transient', 500],
    [408, '{"message":"Model has timed out"}', { 'x-amzn-errortype': 'ModelTimeoutException' }, 'timeout', 504],
    [424, '{"message":"The model returned an error"}', { 'x-amzn-errortype': 'ModelErrorException' }, 'transient', 502],
    [400, '{"message":"Malformed input request: #: extraneous key [stream] is not permitted"}', { 'x-amzn-errortype': 'ValidationException' }, 'client_error', 400],
    [400, '{"message":"Your request exceeds the service quota for your account."}', { 'x-amzn-errortype': 'ServiceQuotaExceededException' }, 'quota_exhausted', 429],
    [403, '{"Message":"You don\'t have access to the model with the specified model ID."}', { 'x-amzn-errortype': 'AccessDeniedException' }, 'auth', 403],
    [403, '{"message":"The security token included in the request is expired"}', { 'x-amzn-errortype': 'ExpiredTokenException' }, 'auth', 403],
    [404, '{"message":"Model not found"}', { 'x-amzn-errortype': 'ResourceNotFoundException' }, 'client_error', 404],
  ];
  for (const [status, body, headers, kind, gatewayStatus] of cases) {
    const e = decodeBedrockError(input(status, body, headers));
    assert.equal(e.kind, kind, body);
    assert.equal(e.status, gatewayStatus, body);
    assert.equal(e.upstreamStatus, status);
    assert.equal(e.provider, 'bedrock-east');
    assert.match(e.message, /^bedrock-east: \w+Exception: /);
  }
});

test('a Retry-After on a throttle is honoured; without one the router uses its own wait', () => {
  const e = decodeBedrockError(input(429, '{"message":"slow down"}', { 'x-amzn-errortype': 'ThrottlingException', 'retry-after': '7' }));
  assert.equal(e.retryAfterMs, 7000);
  assert.equal(decodeBedrockError(input(429, '{"message":"slow down"}', { 'x-amzn-errortype': 'ThrottlingException' })).retryAfterMs, undefined);
});

test('an HTML page or an empty body from something in front of Bedrock is described, by status', () => {
  const html = decodeBedrockError(input(502, '<html><body>Bad Gateway</body></html>'));
  assert.equal(html.kind, 'transient');
  assert.match(html.message, /HTML page/);
  assert.equal(decodeBedrockError(input(429, '')).kind, 'rate_limited');
});

test('exception names in their spellings', () => {
  assert.equal(exceptionName('ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/'), 'ThrottlingException');
  assert.equal(exceptionName('com.amazon.coral.validate#ValidationException'), 'ValidationException');
  assert.equal(exceptionName(''), undefined);
});
