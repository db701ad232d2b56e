/**
 * The Responses stream encoder against recorded fixtures and the official SDK.
 *
 * Fixture convention (`__fixtures__/*.chunks.txt`): ONE line per SSE frame the
 * gateway writes, the line being that frame's `data:` JSON. Every frame's
 * `event:` field must equal its data's `type` (asserted here for each frame, so
 * the fixture doesn't repeat it). Random ids are normalised in order of first
 * appearance (resp_1, msg_1, fc_1, fc_2...) and `completed_at` to 1700000000,
 * so the fixtures stay exact everywhere else.
 *
 * Beside the fixtures, each stream is fed to openai-node's own ResponseStream
 * (the engine behind `client.responses.stream()`): its `finalResponse()` must
 * succeed and equal what the client was told.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import OpenAI, { APIError } from 'openai';
import { GatewayError } from '../../core/errors.js';
import type { ChatRequest } from '../../core/request.js';
import type { StreamEvent } from '../../core/stream-event.js';
import { SseParser } from '../../sse/parser.js';
import { openaiResponses } from './index.js';

const req: ChatRequest = {
  model: 'alias',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  stream: true,
  includeUsage: true,
  tools: [{ name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
};

const start: StreamEvent = { type: 'start', id: 'chatcmpl-up1', model: 'gpt-4o-2024-08-06', created: 1733900100 };

type Tail = (e: ReturnType<typeof openaiResponses.createStreamEncoder>) => string;

function encodeWire(events: StreamEvent[], tail: Tail = (e) => e.end()): string {
  const enc = openaiResponses.createStreamEncoder(req);
  return events.map((ev) => enc.encode(ev)).join('') + tail(enc);
}

/** Parse the wire back with the real SSE parser, check event names and numbering, return data objects. */
function frameData(wire: string): Record<string, unknown>[] {
  const frames = new SseParser().push(Buffer.from(wire));
  const data = frames.map((f) => JSON.parse(f.data) as Record<string, unknown>);
  data.forEach((d, i) => {
    assert.equal(frames[i]!.event, d.type, `frame ${i}: event name matches data.type`);
    assert.equal(d.sequence_number, i, `frame ${i}: sequence_number counts from 0`);
  });
  return data;
}

function normalise(data: Record<string, unknown>[]): unknown[] {
  const seen = new Map<string, string>();
  const counts: Record<string, number> = {};
  const text = JSON.stringify(data)
    .replace(/\b(resp|msg|fc)_[A-Za-z0-9]{24}\b/g, (id, prefix: string) => {
      if (!seen.has(id)) seen.set(id, `${prefix}_${(counts[prefix] = (counts[prefix] ?? 0) + 1)}`);
      return seen.get(id)!;
    })
    .replace(/"completed_at":\d+/g, '"completed_at":1700000000');
  return JSON.parse(text) as unknown[];
}

/** Compare with a fixture; `UPDATE_FIXTURES=1` rewrites it (then review the diff by eye). */
function assertFixture(data: Record<string, unknown>[], name: string): void {
  const actual = normalise(data);
  const url = new URL(`./__fixtures__/${name}`, import.meta.url);
  if (process.env.UPDATE_FIXTURES === '1') writeFileSync(url, actual.map((d) => JSON.stringify(d)).join('\n') + '\n');
  assert.deepEqual(actual, fixture(url));
}

function fixture(url: URL): unknown[] {
  return readFileSync(url, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
}

/**
 * Serve the wire to the real openai client (through its `fetch` option, no
 * network) and return what `client.responses.stream(...).finalResponse()` gives.
 */
async function sdkFinal(wire: string) {
  const client = new OpenAI({
    apiKey: 'sk-test-FAKE',
    baseURL: 'http://gateway.test/v1',
    maxRetries: 0,
    fetch: async () => new Response(wire, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
  return client.responses.stream({ model: 'alias', input: 'hi' }).finalResponse();
}

const textEvents: StreamEvent[] = [
  start,
  { type: 'text', text: 'Hello' },
  { type: 'text', text: ', world!' },
  { type: 'finish', finishReason: 'stop', usage: { inputTokens: 12, outputTokens: 4, cachedInputTokens: 2 } },
];

test('text answer: the documented event sequence, ending in response.completed with usage', async () => {
  const wire = encodeWire(textEvents);
  assertFixture(frameData(wire), 'text.chunks.txt');
  const final = await sdkFinal(wire);
  assert.equal(final.status, 'completed');
  assert.equal(final.output_text, 'Hello, world!');
  assert.deepEqual(final.usage, { input_tokens: 12, input_tokens_details: { cached_tokens: 2, cache_write_tokens: 0 }, output_tokens: 4, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 16 });
  assert.match(final.id, /^resp_/);
});

const callEvents: StreamEvent[] = [
  start,
  { type: 'text', text: 'Checking both.' },
  { type: 'tool-call-start', index: 0, id: 'call_A1', name: 'get_weather' },
  { type: 'tool-call-delta', index: 0, args: '{"city":' },
  { type: 'tool-call-delta', index: 0, args: '"Paris"}' },
  { type: 'tool-call-start', index: 1, id: 'call_B2', name: 'get_weather' },
  { type: 'tool-call-delta', index: 1, args: '{"city":"Oslo"}' },
  { type: 'finish', finishReason: 'tool_calls', usage: { inputTokens: 30, outputTokens: 20 } },
];

test('function calls: a message item, then one function_call item per call with argument deltas', async () => {
  const wire = encodeWire(callEvents);
  assertFixture(frameData(wire), 'function-call.chunks.txt');
  const final = await sdkFinal(wire);
  assert.equal(final.status, 'completed');
  const calls = final.output.filter((o) => o.type === 'function_call');
  assert.deepEqual(
    calls.map((c) => [c.call_id, c.name, c.arguments, c.status]),
    [
      ['call_A1', 'get_weather', '{"city":"Paris"}', 'completed'],
      ['call_B2', 'get_weather', '{"city":"Oslo"}', 'completed'],
    ],
  );
  assert.equal(final.output_text, 'Checking both.');
});

const lengthEvents: StreamEvent[] = [
  start,
  { type: 'text', text: 'Once upon a' },
  { type: 'finish', finishReason: 'length', usage: { inputTokens: 5, outputTokens: 16 } },
];

test('length: response.incomplete with incomplete_details.reason max_output_tokens', async () => {
  const wire = encodeWire(lengthEvents);
  assertFixture(frameData(wire), 'length.chunks.txt');
  const final = await sdkFinal(wire);
  assert.equal(final.status, 'incomplete');
  assert.deepEqual(final.incomplete_details, { reason: 'max_output_tokens' });
  assert.equal(final.output_text, 'Once upon a');
});

test('end() adds nothing: response.completed is the end of a Responses stream', () => {
  const enc = openaiResponses.createStreamEncoder(req);
  for (const ev of textEvents) enc.encode(ev);
  assert.equal(enc.end(), '');
});

test('a failover restart keeps the response id and reports the model now answering', () => {
  const data = frameData(encodeWire([start, { type: 'text', text: 'Hel' }, { ...start, model: 'claude-sonnet-4' } as StreamEvent, { type: 'text', text: 'lo' }, { type: 'finish', finishReason: 'stop' }]));
  assert.equal(data.filter((d) => d.type === 'response.created').length, 1);
  const done = data.at(-1) as { type: string; response: { id: string; model: string; output: { content: { text: string }[] }[] } };
  assert.equal(done.type, 'response.completed');
  assert.equal(done.response.id, (data[0] as { response: { id: string } }).response.id);
  assert.equal(done.response.model, 'claude-sonnet-4');
  assert.equal(done.response.output[0]!.content[0]!.text, 'Hello');
});

const cut = new GatewayError({ code: 'upstream_cut', message: 'The upstream stopped mid-answer and no other target could continue it.', status: 502, kind: 'cut' });

test('error mid-stream: an error event (flat and nested fields), then response.failed; nothing after', () => {
  const data = frameData(encodeWire(textEvents.slice(0, 2), (e) => e.error(cut) + e.encode({ type: 'text', text: 'late' }) + e.end()));
  const err = data.at(-2)!;
  assert.deepEqual(err, {
    type: 'error',
    code: 'upstream_cut',
    message: cut.message,
    param: null,
    sequence_number: data.length - 2,
    error: { message: cut.message, type: 'api_error', param: null, code: 'upstream_cut' },
  });
  const failed = data.at(-1) as { type: string; response: { status: string; error: unknown; output: { status: string }[] } };
  assert.equal(failed.type, 'response.failed');
  assert.equal(failed.response.status, 'failed');
  assert.deepEqual(failed.response.error, { code: 'server_error', message: cut.message });
  assert.equal(failed.response.output[0]!.status, 'incomplete');
});

test('error before any event: just the error event', () => {
  const data = frameData(encodeWire([], (e) => e.error(cut)));
  assert.deepEqual(data.map((d) => d.type), ['error']);
});

test('the SDK throws on the error event: finalResponse() rejects with an APIError carrying the gateway message', async () => {
  const wire = encodeWire(textEvents.slice(0, 2), (e) => e.error(cut));
  await assert.rejects(sdkFinal(wire), (e: unknown) => {
    assert.ok(e instanceof APIError, `expected APIError, got ${String(e)}`);
    assert.match(e.message, /stopped mid-answer/);
    assert.equal(e.code, 'upstream_cut');
    return true;
  });
});
