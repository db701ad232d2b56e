/**
 * What this format writes to clients, read by the official `openai` SDK: a
 * loopback stub serves encoder / encodeError output verbatim, and the SDK's own
 * stream helper must accumulate it into the right final completion, or throw
 * its typed error.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { GatewayError } from '../../core/errors.js';
import type { ChatRequest } from '../../core/request.js';
import type { StreamEvent } from '../../core/stream-event.js';
import { openaiChat } from './index.js';

let server: Server;
let client: OpenAI;
/** What the stub answers next: status, headers, body text. */
let next: { status: number; headers: Record<string, string>; body: string };

before(async () => {
  server = createServer((rq, rs) => {
    rq.resume();
    rq.on('end', () => {
      rs.writeHead(next.status, next.headers);
      rs.end(next.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  client = new OpenAI({ apiKey: 'sk-test-FAKE', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0, logLevel: 'off' });
});
after(() => new Promise<void>((r) => server.close(() => r())));

const req: ChatRequest = { model: 'fast', messages: [], stream: true, includeUsage: true };
const params = { model: 'fast', messages: [{ role: 'user' as const, content: 'hi' }], stream_options: { include_usage: true } };

function serveStream(events: StreamEvent[], err?: GatewayError): void {
  const enc = openaiChat.createStreamEncoder(req);
  const body = events.map((e) => enc.encode(e)).join('') + (err ? enc.error(err) : enc.end());
  next = { status: 200, headers: { 'content-type': 'text/event-stream' }, body };
}

const start: StreamEvent = { type: 'start', id: 'chatcmpl-1', model: 'gpt-4o-2024-08-06', created: 1733900000 };

test('text stream: the SDK helper accumulates content, finish_reason and usage', async () => {
  serveStream([start, { type: 'text', text: 'Hello' }, { type: 'text', text: ' there' }, { type: 'finish', finishReason: 'length', usage: { inputTokens: 5, outputTokens: 2 } }]);
  const final = await client.chat.completions.stream(params).finalChatCompletion();
  assert.equal(final.choices[0]!.message.content, 'Hello there');
  assert.equal(final.choices[0]!.finish_reason, 'length');
  assert.equal(final.model, 'gpt-4o-2024-08-06');
  assert.deepEqual(final.usage, { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
});

test('tool-call stream: the SDK helper assembles both calls', async () => {
  serveStream([
    start,
    { type: 'tool-call-start', index: 0, id: 'call_a', name: 'get_weather' },
    { type: 'tool-call-delta', index: 0, args: '{"location":' },
    { type: 'tool-call-delta', index: 0, args: '"Paris"}' },
    { type: 'tool-call-start', index: 1, id: 'call_b', name: 'get_time' },
    { type: 'tool-call-delta', index: 1, args: '{}' },
    { type: 'finish', finishReason: 'tool_calls' },
  ]);
  const final = await client.chat.completions.stream(params).finalChatCompletion();
  const calls = final.choices[0]!.message.tool_calls!.map((c) => (c.type === 'function' ? [c.id, c.function.name, c.function.arguments] : []));
  assert.deepEqual(calls, [['call_a', 'get_weather', '{"location":"Paris"}'], ['call_b', 'get_time', '{}']]);
  assert.equal(final.choices[0]!.finish_reason, 'tool_calls');
});

test('a mid-stream error chunk makes the SDK throw, after the text it already got', async () => {
  const err = new GatewayError({ code: 'upstream_stream_cut', message: 'openai-main closed the stream before the answer was complete.', status: 502, kind: 'cut' });
  serveStream([start, { type: 'text', text: 'Partial' }], err);
  const stream = await client.chat.completions.create({ ...params, stream: true });
  let text = '';
  const thrown = await (async () => {
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
  })().then(() => undefined, (e: unknown) => e);
  assert.equal(text, 'Partial');
  assert.ok(thrown instanceof OpenAI.APIError);
  assert.match(thrown.message, /closed the stream before the answer was complete/);
});

test('encodeError: the SDK raises the class for the status and sees Retry-After', async () => {
  const rl = openaiChat.encodeError(new GatewayError({ code: 'no_target_available', message: 'Every target is rate limited.', status: 429, kind: 'rate_limited', retryAfterMs: 2500 }));
  next = { status: rl.status, headers: { 'content-type': 'application/json', ...rl.headers }, body: JSON.stringify(rl.body) };
  const e = await client.chat.completions.create({ model: 'fast', messages: params.messages }).catch((x: unknown) => x);
  assert.ok(e instanceof OpenAI.RateLimitError);
  assert.equal(e.headers?.get('retry-after'), '3');
  assert.equal(e.code, 'no_target_available');
  assert.equal(e.type, 'rate_limit_error');

  const bad = openaiChat.encodeError(new GatewayError({ code: 'invalid_request', message: "Invalid 'n'", status: 400, kind: 'client_error', param: 'n' }));
  next = { status: bad.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(bad.body) };
  const b = await client.chat.completions.create({ model: 'fast', messages: params.messages }).catch((x: unknown) => x);
  assert.ok(b instanceof OpenAI.BadRequestError);
  assert.equal(b.param, 'n');
});
