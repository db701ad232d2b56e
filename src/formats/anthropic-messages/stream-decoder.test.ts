import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../core/errors.js';
import type { StreamEvent } from '../../core/stream-event.js';
import { anthropicMessages } from './index.js';
import { framesOf, readChunks } from './fixtures.js';

function decodeAll(chunks: string[]): { events: StreamEvent[]; done: boolean } {
  const d = anthropicMessages.createStreamDecoder();
  const events: StreamEvent[] = [];
  for (const c of chunks) for (const f of framesOf(c)) events.push(...d.push(f));
  events.push(...d.end());
  return { events, done: d.done };
}

test('text stream: start with input tokens, text deltas, finish with usage; ping ignored', () => {
  const { events, done } = decodeAll(readChunks('text.chunks.txt'));
  assert.equal(done, true);
  const start = events[0];
  assert.equal(start?.type, 'start');
  assert.equal(start.type === 'start' && start.id, 'msg_01XFDUDYJgAACzvnptvVoYEL');
  assert.equal(start.type === 'start' && start.model, 'claude-sonnet-4-5-20250929');
  assert.equal(start.type === 'start' && start.inputTokens, 25);
  assert.deepEqual(events.slice(1), [
    { type: 'text', text: 'Hello' },
    { type: 'text', text: '! How can' },
    { type: 'text', text: ' I help?' },
    { type: 'finish', finishReason: 'stop', usage: { inputTokens: 25, outputTokens: 12 } },
  ]);
});

test('tool use: index is the position among tool calls, args from input_json_delta, cached tokens counted', () => {
  const { events } = decodeAll(readChunks('tool-use.chunks.txt'));
  assert.equal(events[0]?.type === 'start' && events[0].inputTokens, 600);
  assert.deepEqual(events.slice(1), [
    { type: 'text', text: 'Let me check the weather.' },
    { type: 'tool-call-start', index: 0, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather' },
    { type: 'tool-call-delta', index: 0, args: '{"location":' },
    { type: 'tool-call-delta', index: 0, args: ' "San Francisco, CA"}' },
    { type: 'tool-call-start', index: 1, id: 'toolu_02AbCdEfGhIjKlMnOpQrStUv', name: 'get_time' },
    { type: 'tool-call-delta', index: 1, args: '{"tz": "PST"}' },
    { type: 'finish', finishReason: 'tool_calls', usage: { inputTokens: 600, cachedInputTokens: 128, outputTokens: 89 } },
  ]);
});

test('an event: error frame throws the typed error (overloaded_error -> overloaded, retryable)', () => {
  const d = anthropicMessages.createStreamDecoder();
  const chunks = readChunks('error.chunks.txt');
  const seen: StreamEvent[] = [];
  assert.throws(
    () => {
      for (const c of chunks) for (const f of framesOf(c)) seen.push(...d.push(f));
    },
    (e: unknown) => e instanceof GatewayError && e.kind === 'overloaded' && e.retryable && e.upstreamType === 'overloaded_error' && e.status === 529,
  );
  assert.deepEqual(seen.slice(1), [{ type: 'text', text: 'Partial' }]);
});

test('a body that ends without message_stop is a cut, not a clean end', () => {
  const chunks = readChunks('text.chunks.txt').slice(0, -1);
  assert.throws(() => decodeAll(chunks), (e: unknown) => e instanceof GatewayError && e.kind === 'cut' && e.code === 'upstream_stream_cut');
});

test('a malformed JSON frame is a cut with code upstream_malformed_frame', () => {
  const d = anthropicMessages.createStreamDecoder();
  const bad = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_del\n\n';
  assert.throws(
    () => framesOf(bad).forEach((f) => d.push(f)),
    (e: unknown) => e instanceof GatewayError && e.kind === 'cut' && e.code === 'upstream_malformed_frame',
  );
});

test('thinking blocks and unknown events are skipped without breaking tool indices', () => {
  const text = [
    'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":3,"output_tokens":1}}}\n\n',
    'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}\n\n',
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}\n\n',
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}}\n\n',
    'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
    'event: some_future_event\ndata: {"type":"some_future_event"}\n\n',
    'event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"f","input":{}}}\n\n',
    'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{}"}}\n\n',
    'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"input_tokens":3,"output_tokens":9}}\n\n',
    'event: message_stop\ndata: {"type":"message_stop"}\n\n',
  ];
  const { events } = decodeAll(text);
  assert.deepEqual(events.slice(1), [
    { type: 'tool-call-start', index: 0, id: 'toolu_1', name: 'f' },
    { type: 'tool-call-delta', index: 0, args: '{}' },
    { type: 'finish', finishReason: 'length', usage: { inputTokens: 3, outputTokens: 9 } },
  ]);
});

test('stop_sequence is reported with the sequence that matched', () => {
  const text =
    'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":3,"output_tokens":1}}}\n\n' +
    'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"stop_sequence","stop_sequence":"END"},"usage":{"output_tokens":2}}\n\n' +
    'event: message_stop\ndata: {"type":"message_stop"}\n\n';
  const { events } = decodeAll([text]);
  assert.deepEqual(events.at(-1), { type: 'finish', finishReason: 'stop_sequence', stopSequence: 'END', usage: { inputTokens: 3, outputTokens: 2 } });
});
