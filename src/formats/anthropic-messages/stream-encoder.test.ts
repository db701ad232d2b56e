import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { GatewayError } from '../../core/errors.js';
import type { StreamEvent } from '../../core/stream-event.js';
import { anthropicMessages } from './index.js';
import { framesOf, readChunks } from './fixtures.js';

const req = anthropicMessages.decodeRequest({ model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], stream: true });

const toolEvents: StreamEvent[] = [
  { type: 'start', id: 'msg_01Gateway', model: 'gpt-4o-2024-08-06', created: 1700000000, inputTokens: 20 },
  { type: 'text', text: 'Checking.' },
  { type: 'tool-call-start', index: 0, id: 'call_abc', name: 'get_weather' },
  { type: 'tool-call-delta', index: 0, args: '{"location":' },
  { type: 'tool-call-delta', index: 0, args: '"Paris"}' },
  { type: 'tool-call-start', index: 1, id: 'call_def', name: 'get_time' },
  { type: 'tool-call-delta', index: 1, args: '{}' },
  { type: 'finish', finishReason: 'tool_calls', usage: { inputTokens: 20, outputTokens: 31 } },
];

function encodeAll(events: StreamEvent[]): string {
  const e = anthropicMessages.createStreamEncoder(req);
  return events.map((ev) => e.encode(ev)).join('') + e.end();
}

/** Every frame's event name equals its data's "type" (the SDK dispatches on both). */
function assertNamedFrames(text: string): void {
  for (const f of framesOf(text)) assert.equal((JSON.parse(f.data) as { type: string }).type, f.event);
}

test('tool-use answer encodes to the recorded Anthropic event sequence', () => {
  const out = encodeAll(toolEvents);
  assert.deepEqual(framesOf(out).map((f) => f.raw.toString()), readChunks('encode-tool-use.chunks.txt'));
  assertNamedFrames(out);
});

test('decoding a recorded Anthropic stream and re-encoding it keeps text, blocks and stop reason', () => {
  const d = anthropicMessages.createStreamDecoder();
  const events = readChunks('text.chunks.txt').flatMap((c) => framesOf(c).flatMap((f) => d.push(f)));
  const out = encodeAll(events);
  assertNamedFrames(out);
  const types = framesOf(out).map((f) => f.event);
  assert.deepEqual(types, ['message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
  const delta = JSON.parse(framesOf(out).at(-2)!.data) as { delta: { stop_reason: string }; usage: { output_tokens: number; input_tokens: number } };
  assert.equal(delta.delta.stop_reason, 'end_turn');
  assert.deepEqual(delta.usage, { input_tokens: 25, output_tokens: 12 });
});

test('cached prompt tokens are reported apart, as Anthropic does', () => {
  const out = encodeAll([
    { type: 'start', id: 'x', model: 'm', created: 0 },
    { type: 'finish', finishReason: 'length', usage: { inputTokens: 100, cachedInputTokens: 60, outputTokens: 5 } },
  ]);
  const frames = framesOf(out);
  assert.equal(JSON.parse(frames[0]!.data).message.id, 'msg_x');
  const md = JSON.parse(frames.at(-2)!.data);
  assert.deepEqual(md.usage, { input_tokens: 40, output_tokens: 5, cache_read_input_tokens: 60 });
  assert.equal(md.delta.stop_reason, 'max_tokens');
});

test('message_start states an upstream-reported prompt size as is, else a labelled estimate; message_delta has the exact one', () => {
  const long = anthropicMessages.decodeRequest({ model: 'm', max_tokens: 10, system: 'x'.repeat(400), messages: [{ role: 'user', content: 'y'.repeat(400) }], stream: true });
  const e = anthropicMessages.createStreamEncoder(long);
  const start = framesOf(e.encode({ type: 'start', id: 'x', model: 'gpt-4o', created: 0 }))[0]!;
  const data = JSON.parse(start.data);
  assert.equal(data.message.usage.input_tokens, 200, 'about 4 characters per token, like count_tokens');
  assert.deepEqual(data.switchyard, { token_count: 'estimated' });
  const end = framesOf(e.encode({ type: 'finish', finishReason: 'stop', usage: { inputTokens: 213, outputTokens: 4 } }));
  assert.equal(JSON.parse(end[0]!.data).usage.input_tokens, 213);
  const exact = framesOf(anthropicMessages.createStreamEncoder(long).encode({ type: 'start', id: 'x', model: 'm', created: 0, inputTokens: 7 }))[0]!;
  assert.equal(JSON.parse(exact.data).message.usage.input_tokens, 7);
  assert.equal('switchyard' in JSON.parse(exact.data), false);
});

test('error() is an event: error frame in Anthropic shape, and nothing follows it', () => {
  const e = anthropicMessages.createStreamEncoder(req);
  e.encode(toolEvents[0]!);
  const err = new GatewayError({ code: 'upstream_overloaded', message: 'All targets are overloaded.', status: 503, kind: 'overloaded' });
  const text = e.error(err);
  assert.equal(text, 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"All targets are overloaded."}}\n\n');
  assert.equal(e.encode({ type: 'finish', finishReason: 'stop' }), '');
});

/** The official SDK parses what the encoder writes (served through a fake fetch: no network). */
function sdkFor(body: string): Anthropic {
  return new Anthropic({
    apiKey: 'sk-ant-test-FAKE',
    maxRetries: 0,
    fetch: async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
}

test('the official SDK accumulates the encoded stream into the same message', async () => {
  const stream = sdkFor(encodeAll(toolEvents)).messages.stream({ model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
  const msg = await stream.finalMessage();
  assert.equal(msg.model, 'gpt-4o-2024-08-06');
  assert.equal(msg.stop_reason, 'tool_use');
  assert.deepEqual(msg.content, [
    { type: 'text', text: 'Checking.' },
    { type: 'tool_use', id: 'call_abc', name: 'get_weather', input: { location: 'Paris' } },
    { type: 'tool_use', id: 'call_def', name: 'get_time', input: {} },
  ]);
  assert.equal(msg.usage.output_tokens, 31);
  assert.equal(msg.usage.input_tokens, 20);
});

test('the official SDK surfaces the encoded in-stream error as an API error', async () => {
  const e = anthropicMessages.createStreamEncoder(req);
  const body = e.encode(toolEvents[0]!) + e.encode({ type: 'text', text: 'Par' }) + e.error(new GatewayError({ code: 'upstream_overloaded', message: 'Overloaded', status: 529, kind: 'overloaded' }));
  const stream = sdkFor(body).messages.stream({ model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
  await assert.rejects(stream.finalMessage(), (err: unknown) => err instanceof Anthropic.APIError && /overloaded_error/.test(String(err.message)));
});
