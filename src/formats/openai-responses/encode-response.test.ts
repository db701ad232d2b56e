/** Non-streamed Responses answers and errors, as a client (and the openai SDK) reads them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { GatewayError, invalidRequest } from '../../core/errors.js';
import type { ChatRequest } from '../../core/request.js';
import type { ChatResponse } from '../../core/response.js';
import { openaiResponses } from './index.js';

const req: ChatRequest = { model: 'alias', messages: [], stream: false, includeUsage: true, temperature: 0.5, maxTokens: 100 };

const base: ChatResponse = {
  id: 'chatcmpl-up',
  model: 'gpt-4o-2024-08-06',
  created: 1733900100,
  text: 'Hello!',
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 10, outputTokens: 3, cachedInputTokens: 4 },
};

type Out = {
  id: string;
  object: string;
  status: string;
  incomplete_details: unknown;
  output: Array<Record<string, unknown> & { content?: Array<Record<string, unknown>> }>;
  usage: unknown;
  model: string;
  temperature: number;
  max_output_tokens: number;
  created_at: number;
};

const encode = (res: ChatResponse, r: ChatRequest = req) => openaiResponses.encodeResponse(res, r) as Out;

test('text answer: one completed message item with output_text and usage details', () => {
  const out = encode(base);
  assert.match(out.id, /^resp_/);
  assert.equal(out.object, 'response');
  assert.equal(out.status, 'completed');
  assert.equal(out.created_at, 1733900100);
  assert.equal(out.model, 'gpt-4o-2024-08-06');
  assert.equal(out.incomplete_details, null);
  assert.equal(out.temperature, 0.5);
  assert.equal(out.max_output_tokens, 100);
  assert.equal(out.output.length, 1);
  const msg = out.output[0]!;
  assert.match(msg.id as string, /^msg_/);
  assert.deepEqual({ ...msg, id: 'x' }, {
    id: 'x',
    type: 'message',
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text: 'Hello!', annotations: [], logprobs: [] }],
  });
  assert.deepEqual(out.usage, {
    input_tokens: 10,
    input_tokens_details: { cached_tokens: 4, cache_write_tokens: 0 },
    output_tokens: 3,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 13,
  });
});

test('tool calls: function_call items after the message, call_id is the upstream call id; no message when text is empty', () => {
  const calls = [
    { id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
    { id: 'toolu_2', name: 'get_time', arguments: '{}' },
  ];
  const out = encode({ ...base, text: '', toolCalls: calls, finishReason: 'tool_calls' });
  assert.equal(out.status, 'completed');
  assert.deepEqual(
    out.output.map((o) => [o.type, o.call_id, o.name, o.arguments, o.status]),
    [
      ['function_call', 'call_1', 'get_weather', '{"city":"Paris"}', 'completed'],
      ['function_call', 'toolu_2', 'get_time', '{}', 'completed'],
    ],
  );
  assert.ok(out.output.every((o) => /^fc_/.test(o.id as string)));
  const mixed = encode({ ...base, toolCalls: calls.slice(0, 1), finishReason: 'tool_calls' });
  assert.deepEqual(mixed.output.map((o) => o.type), ['message', 'function_call']);
});

test('length: status incomplete, reason max_output_tokens, the cut item incomplete', () => {
  const out = encode({ ...base, finishReason: 'length' });
  assert.equal(out.status, 'incomplete');
  assert.deepEqual(out.incomplete_details, { reason: 'max_output_tokens' });
  assert.equal(out.output[0]!.status, 'incomplete');
});

test('the openai SDK accepts the object and computes output_text', async () => {
  const body = encode({ ...base, text: 'Hi there', toolCalls: [{ id: 'call_9', name: 'f', arguments: '{"a":1}' }], finishReason: 'tool_calls' });
  const client = new OpenAI({
    apiKey: 'sk-test-FAKE',
    baseURL: 'http://gateway.test/v1',
    maxRetries: 0,
    fetch: async () => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }),
  });
  const r = await client.responses.create({ model: 'alias', input: 'hi' });
  assert.equal(r.output_text, 'Hi there');
  const call = r.output.find((o) => o.type === 'function_call');
  assert.equal(call?.type === 'function_call' && call.call_id, 'call_9');
});

test('errors use the OpenAI error envelope with param, and the SDK raises the matching class', async () => {
  const err = invalidRequest("'previous_response_id' is not supported yet", 'previous_response_id', 'unsupported_parameter');
  const enc = openaiResponses.encodeError(err);
  assert.equal(enc.status, 400);
  assert.deepEqual(enc.body, {
    error: { message: err.message, type: 'invalid_request_error', param: 'previous_response_id', code: 'unsupported_parameter' },
  });
  const limited = openaiResponses.encodeError(new GatewayError({ code: 'upstream_rate_limited', message: 'slow down', status: 429, kind: 'rate_limited', retryAfterMs: 2500 }));
  assert.equal(limited.headers['retry-after'], '3');

  const client = new OpenAI({
    apiKey: 'sk-test-FAKE',
    baseURL: 'http://gateway.test/v1',
    maxRetries: 0,
    fetch: async () => new Response(JSON.stringify(enc.body), { status: enc.status, headers: { 'content-type': 'application/json' } }),
  });
  await assert.rejects(client.responses.create({ model: 'alias', input: 'hi', previous_response_id: 'resp_1' }), (e: unknown) => {
    assert.ok(e instanceof OpenAI.BadRequestError);
    assert.equal(e.param, 'previous_response_id');
    return true;
  });
});
