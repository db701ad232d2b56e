/**
 * Fixture tests for the Gemini stream decoder.
 *
 * Fixture convention (__fixtures__/*.chunks.txt): ONE line = the JSON text of
 * one SSE `data:` frame, as Google sends it (shapes from js-genai's recorded
 * responses). The test writes each line as `data: <json>\r\n\r\n` (Google's
 * line endings) and runs the bytes through the project's SSE parser, so the
 * decoder sees exactly what it sees in production.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GatewayError } from '../../core/errors.js';
import type { StreamEvent } from '../../core/stream-event.js';
import { SseParser } from '../../sse/parser.js';
import { createStreamDecoder } from './stream-decoder.js';

function fixture(name: string): string[] {
  const text = readFileSync(new URL(`./__fixtures__/${name}.chunks.txt`, import.meta.url), 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** Decode lines; returns events, or the error thrown (by push or end). */
function run(lines: string[]): { events: StreamEvent[]; error?: GatewayError; done: boolean } {
  const parser = new SseParser();
  const decoder = createStreamDecoder({ provider: 'gem-test', model: '' });
  const events: StreamEvent[] = [];
  try {
    for (const line of lines) for (const f of parser.push(Buffer.from(`data: ${line}\r\n\r\n`))) events.push(...decoder.push(f));
    events.push(...decoder.end());
  } catch (e) {
    assert.ok(e instanceof GatewayError);
    return { events, error: e, done: decoder.done };
  }
  return { events, done: decoder.done };
}

test('text stream: start (with the prompt size the first chunk reports), deltas in order, finish stop with usage from the last chunk', () => {
  const { events, error, done } = run(fixture('text'));
  assert.equal(error, undefined);
  assert.equal(done, true);
  assert.deepEqual(events[0], { type: 'start', id: 'pdSfaOurIPqAm9IPucqbqA4', model: 'gemini-2.0-flash', created: (events[0] as { created: number }).created, inputTokens: 7 });
  const text = events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join('');
  assert.equal(text, 'The sky is blue due to Rayleigh scattering.');
  assert.deepEqual(events.at(-1), { type: 'finish', finishReason: 'stop', usage: { inputTokens: 6, outputTokens: 377 } });
  assert.equal(events.filter((e) => e.type === 'start').length, 1);
  assert.equal(events.filter((e) => e.type === 'finish').length, 1);
});

test('function call: one start + one delta carrying the whole JSON args, finish tool_calls', () => {
  const { events, error } = run(fixture('function-call'));
  assert.equal(error, undefined);
  const start = events.find((e) => e.type === 'tool-call-start');
  assert.ok(start && start.type === 'tool-call-start');
  assert.equal(start.index, 0);
  assert.equal(start.name, 'customDivide');
  assert.match(start.id, /^call_[A-Za-z0-9_-]+_0$/);
  const deltas = events.filter((e) => e.type === 'tool-call-delta');
  assert.equal(deltas.length, 1);
  assert.deepEqual(JSON.parse((deltas[0] as { args: string }).args), { denominator: 2, numerator: 100 });
  assert.deepEqual(events.at(-1), { type: 'finish', finishReason: 'tool_calls', usage: { inputTokens: 21, outputTokens: 6 } });
});

test('thought parts are skipped; thinking tokens count as output; cached tokens reported; MAX_TOKENS -> length', () => {
  const { events, error } = run(fixture('usage'));
  assert.equal(error, undefined);
  const texts = events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text);
  assert.deepEqual(texts, ['The sum is 5050.']);
  assert.deepEqual(events.at(-1), { type: 'finish', finishReason: 'length', usage: { inputTokens: 2017, outputTokens: 27, cachedInputTokens: 2000 } });
});

test('a body that ends with no finishReason is a cut, after the text that did arrive', () => {
  const { events, error, done } = run(fixture('cut'));
  assert.equal(done, false);
  assert.ok(error);
  assert.equal(error.kind, 'cut');
  assert.equal(error.retryable, true);
  assert.equal(events.filter((e) => e.type === 'text').length, 2);
  assert.ok(!events.some((e) => e.type === 'finish'));
});

test('a malformed JSON frame is a cut with code upstream_malformed_frame', () => {
  const lines = [...fixture('cut').slice(0, 1), '{"candidates": [{"content": {"parts": [{"text": "oops"'];
  const { error } = run(lines);
  assert.ok(error);
  assert.equal(error.kind, 'cut');
  assert.equal(error.code, 'upstream_malformed_frame');
});

test('a prompt blocked before generation ends cleanly with content_filter and no text', () => {
  const { events, error } = run(fixture('blocked'));
  assert.equal(error, undefined);
  assert.deepEqual(events.map((e) => e.type), ['start', 'finish']);
  assert.deepEqual(events[1], { type: 'finish', finishReason: 'content_filter', usage: { inputTokens: 9, outputTokens: 0 } });
});

test('an in-stream Google error object becomes the typed error it describes', () => {
  const lines = [...fixture('cut').slice(0, 1), '{"error": {"code": 503,"message": "The model is overloaded. Please try again later.","status": "UNAVAILABLE"}}'];
  const { error } = run(lines);
  assert.ok(error);
  assert.equal(error.kind, 'overloaded');
  assert.equal(error.upstreamType, 'UNAVAILABLE');
});

test('SSE frames split mid-way and LF-only endings decode the same', () => {
  const parser = new SseParser();
  const decoder = createStreamDecoder();
  const bytes = Buffer.from(fixture('text').map((l) => `data: ${l}\n\n`).join(''));
  const events: StreamEvent[] = [];
  for (let i = 0; i < bytes.length; i += 7) for (const f of parser.push(bytes.subarray(i, i + 7))) events.push(...decoder.push(f));
  events.push(...decoder.end());
  assert.equal(events.filter((e) => e.type === 'text').length, 3);
  assert.equal(events.at(-1)?.type, 'finish');
});
