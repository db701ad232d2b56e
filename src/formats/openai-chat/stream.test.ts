/**
 * Streaming fixtures, both directions.
 *
 * Fixture convention (`__fixtures__/*.chunks.txt`): ONE line per SSE frame, the
 * line being that frame's `data:` payload exactly as sent on the wire (a JSON
 * chunk, or the literal `[DONE]`). `openai-*.chunks.txt` / `azure-*.chunks.txt`
 * are upstream streams as OpenAI / Azure OpenAI send them; `encoded-*.chunks.txt`
 * are what the gateway must write to an OpenAI client.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { GatewayError } from '../../core/errors.js';
import type { ChatRequest } from '../../core/request.js';
import type { StreamEvent } from '../../core/stream-event.js';
import { SseParser } from '../../sse/parser.js';
import type { SseFrame } from '../../sse/frame.js';
import { openaiChat } from './index.js';

function lines(name: string): string[] {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8').split('\n').filter((l) => l !== '');
}

/** Fixture lines as parsed SSE frames (through the real parser). */
function frames(name: string): SseFrame[] {
  const p = new SseParser();
  return p.push(Buffer.from(lines(name).map((l) => `data: ${l}\n\n`).join('')));
}

function decodeAll(fs: SseFrame[]): StreamEvent[] {
  const d = openaiChat.createStreamDecoder();
  const events = fs.flatMap((f) => d.push(f));
  return [...events, ...d.end()];
}

const req = (includeUsage: boolean): ChatRequest => ({ model: 'alias', messages: [], stream: true, includeUsage });

test('decodes a text stream with a usage chunk: finish at [DONE] carries the usage', () => {
  const d = openaiChat.createStreamDecoder();
  const events = frames('openai-text.chunks.txt').flatMap((f) => d.push(f));
  assert.equal(d.done, true);
  assert.deepEqual(d.end(), []);
  assert.deepEqual(events, [
    { type: 'start', id: 'chatcmpl-AdZ5gH1Qk2', model: 'gpt-4o-mini-2024-07-18', created: 1733900000 },
    { type: 'text', text: 'Hello' },
    { type: 'text', text: ', world' },
    { type: 'text', text: '!' },
    { type: 'finish', finishReason: 'stop', usage: { inputTokens: 12, outputTokens: 3, cachedInputTokens: 0 } },
  ]);
});

test('decodes parallel tool calls with streamed arguments', () => {
  const events = decodeAll(frames('openai-tool-calls.chunks.txt'));
  assert.deepEqual(events.slice(1), [
    { type: 'tool-call-start', index: 0, id: 'call_Xk2mN8pQ', name: 'get_weather' },
    { type: 'tool-call-delta', index: 0, args: '{"lo' },
    { type: 'tool-call-delta', index: 0, args: 'cation": "Paris"}' },
    { type: 'tool-call-start', index: 1, id: 'call_Rb4vT1wE', name: 'get_time' },
    { type: 'tool-call-delta', index: 1, args: '{"tz"' },
    { type: 'tool-call-delta', index: 1, args: ': "CET"}' },
    { type: 'finish', finishReason: 'tool_calls', usage: { inputTokens: 80, outputTokens: 42, cachedInputTokens: 64 } },
  ]);
});

test('Azure: the empty prompt_filter_results chunk is not the start; content_filter finish is kept', () => {
  const events = decodeAll(frames('azure-content-filter.chunks.txt'));
  assert.deepEqual(events, [
    { type: 'start', id: 'chatcmpl-AzUr3', model: 'gpt-4o-2024-05-13', created: 1733900200 },
    { type: 'text', text: 'Partial' },
    { type: 'finish', finishReason: 'content_filter' },
  ]);
});

test('a body ending after finish_reason but without [DONE] is accepted as finished', () => {
  const fs = frames('openai-text.chunks.txt').slice(0, 5); // up to and including the finish chunk
  const events = decodeAll(fs);
  assert.deepEqual(events.at(-1), { type: 'finish', finishReason: 'stop' });
});

test('a body ending with no finish_reason is a cut', () => {
  const d = openaiChat.createStreamDecoder();
  for (const f of frames('openai-text.chunks.txt').slice(0, 3)) d.push(f);
  assert.throws(() => d.end(), (e: unknown) => e instanceof GatewayError && e.kind === 'cut' && e.retryable);
});

test('a frame that is not valid JSON is a cut with code upstream_malformed_frame', () => {
  const d = openaiChat.createStreamDecoder();
  d.push(frames('openai-text.chunks.txt')[0]!);
  const [bad] = new SseParser().push(Buffer.from('data: {"id":"chatcmpl-x","choices":[{"delta":{"content":"oops"\n\n'));
  assert.throws(() => d.push(bad!), (e: unknown) => e instanceof GatewayError && e.kind === 'cut' && e.code === 'upstream_malformed_frame');
});

test('an in-stream error frame throws the decoded typed error', () => {
  const d = openaiChat.createStreamDecoder();
  d.push(frames('openai-text.chunks.txt')[0]!);
  const [f] = new SseParser().push(
    Buffer.from('data: {"error":{"message":"The server had an error while processing your request. Sorry about that!","type":"server_error","param":null,"code":null}}\n\n'),
  );
  assert.throws(
    () => d.push(f!),
    (e: unknown) => e instanceof GatewayError && e.kind === 'transient' && e.upstreamType === 'server_error' && /server had an error/.test(e.message),
  );
});

test('encodes a text stream with usage exactly as OpenAI does', () => {
  const enc = openaiChat.createStreamEncoder(req(true));
  const events = decodeAll(frames('openai-text.chunks.txt'));
  const out = events.map((e) => enc.encode(e)).join('') + enc.end();
  assert.equal(out, lines('encoded-text-usage.chunks.txt').map((l) => `data: ${l}\n\n`).join(''));
});

test('encodes streamed tool calls; no usage chunk when the client did not ask', () => {
  const enc = openaiChat.createStreamEncoder(req(false));
  const events = decodeAll(frames('openai-tool-calls.chunks.txt'));
  const out = events.map((e) => enc.encode(e)).join('') + enc.end();
  assert.equal(out, lines('encoded-tool-calls.chunks.txt').map((l) => `data: ${l}\n\n`).join(''));
});

test('a mid-stream error is an error chunk and nothing follows it', () => {
  const enc = openaiChat.createStreamEncoder(req(true));
  enc.encode({ type: 'start', id: 'chatcmpl-1', model: 'm', created: 1 });
  const err = new GatewayError({ code: 'upstream_stream_cut', message: 'openai closed the stream.', status: 502, kind: 'cut' });
  const out = enc.error(err);
  assert.equal(out, 'data: {"error":{"message":"openai closed the stream.","type":"api_error","param":null,"code":"upstream_stream_cut"}}\n\n');
  assert.equal(enc.encode({ type: 'text', text: 'late' }), '');
  assert.equal(enc.end(), '');
});

test('a second start (failover continuation) keeps the id and names the new model', () => {
  const enc = openaiChat.createStreamEncoder(req(false));
  enc.encode({ type: 'start', id: 'chatcmpl-1', model: 'gpt-4o', created: 1 });
  assert.equal(enc.encode({ type: 'start', id: 'msg_2', model: 'claude-x', created: 2 }), '');
  const chunk = JSON.parse(enc.encode({ type: 'text', text: 'hi' }).slice(6)) as { id: string; model: string };
  assert.deepEqual([chunk.id, chunk.model], ['chatcmpl-1', 'claude-x']);
});

test('tool calls without `index` (some compatible servers): ids tell the calls apart', () => {
  const body = [
    '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"llama3","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"a","arguments":"{\\"x\\""}}]},"finish_reason":null}]}',
    '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"llama3","choices":[{"index":0,"delta":{"tool_calls":[{"id":"call_1","function":{"arguments":":1}"}}]},"finish_reason":null}]}',
    '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"llama3","choices":[{"index":0,"delta":{"tool_calls":[{"id":"call_2","type":"function","function":{"name":"b","arguments":{"y":2}}}]},"finish_reason":"tool_calls"}]}',
  ];
  const fs = new SseParser().push(Buffer.from(body.map((l) => `data: ${l}\n\n`).join('')));
  assert.deepEqual(decodeAll(fs).slice(1), [
    { type: 'tool-call-start', index: 0, id: 'call_1', name: 'a' },
    { type: 'tool-call-delta', index: 0, args: '{"x"' },
    { type: 'tool-call-delta', index: 0, args: ':1}' },
    { type: 'tool-call-start', index: 1, id: 'call_2', name: 'b' },
    { type: 'tool-call-delta', index: 1, args: '{"y":2}' },
    { type: 'finish', finishReason: 'tool_calls' },
  ]);
});
