/** createAnthropicProvider against the simulated Anthropic API on loopback. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chat, chatStream, chunks, testDeps } from '../test-support/provider-calls.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../core/errors.js';
import type { ChatRequest } from '../core/request.js';
import type { StreamEvent } from '../core/stream-event.js';
import { SimServer } from '../sim/engine.js';
import { anthropicWire } from '../sim/anthropic-wire.js';
import { createAnthropicProvider } from './anthropic.js';
import type { Provider } from './types.js';

const deps = testDeps();
let sim: SimServer;
let provider: Provider;
const ctx = () => ({ signal: new AbortController().signal });

const req = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'smart',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }] }],
  stream: false,
  includeUsage: true,
  ...over,
});

before(async () => {
  sim = new SimServer(anthropicWire);
  const origin = await sim.start();
  provider = createAnthropicProvider({ name: 'claude', type: 'anthropic', baseUrl: origin, apiKey: 'sk-ant-test-FAKE', headers: {}, query: {} }, deps);
});
after(async () => {
  await sim.stop();
  await deps.pools.close();
});

async function collect(p: Provider, r: ChatRequest): Promise<StreamEvent[]> {
  const s = await chatStream(p, r, 'claude-haiku-4-5', ctx());
  const events: StreamEvent[] = [];
  for await (const chunk of chunks(s)) events.push(...chunk.events);
  return events;
}

test('chat: canonical request in, canonical response out, upstream model and usage kept', async () => {
  const { response, format, raw } = await chat(provider, req(), 'claude-haiku-4-5', ctx());
  assert.equal(format, 'anthropic-messages');
  assert.equal(response.model, 'claude-haiku-4-5');
  assert.equal(response.finishReason, 'stop');
  assert.ok(response.text.length > 0);
  assert.ok(response.usage.inputTokens > 0 && response.usage.outputTokens > 0);
  assert.equal((JSON.parse(raw.toString()) as { type: string }).type, 'message');
});

test('chatStream: start, text, finish with usage; the text matches the non-streamed answer', async () => {
  const events = await collect(provider, req());
  assert.equal(events[0]?.type, 'start');
  const finish = events.at(-1);
  assert.ok(finish?.type === 'finish');
  assert.equal(finish.finishReason, 'stop');
  assert.ok((finish.usage?.outputTokens ?? 0) > 0);
  const text = events.map((e) => (e.type === 'text' ? e.text : '')).join('');
  const { response } = await chat(provider, req(), 'claude-haiku-4-5', ctx());
  assert.equal(text, response.text);
});

test('chatStream with a tool: tool-call-start + deltas assemble the arguments', async () => {
  const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
  const events = await collect(provider, req({ tools }));
  const start = events.find((e) => e.type === 'tool-call-start');
  assert.ok(start && start.type === 'tool-call-start' && start.index === 0 && start.name === 'get_weather');
  const args = events.map((e) => (e.type === 'tool-call-delta' ? e.args : '')).join('');
  assert.deepEqual(JSON.parse(args), { city: 'Paris' });
  const finish = events.at(-1);
  assert.ok(finish?.type === 'finish');
  assert.equal(finish.finishReason, 'tool_calls');
});

test('529 overloaded -> kind overloaded, retryable', async () => {
  sim.faults.set([{ fault: { kind: 'status', status: 529 }, times: 1 }]);
  await assert.rejects(chat(provider, req(), 'claude-haiku-4-5', ctx()), (e: unknown) => {
    assert.ok(e instanceof GatewayError);
    assert.equal(e.kind, 'overloaded');
    assert.equal(e.retryable, true);
    assert.equal(e.provider, 'claude');
    assert.equal(e.upstreamStatus, 529);
    return true;
  });
});

test('429 with retry-after -> rate_limited with retryAfterMs', async () => {
  sim.faults.set([{ fault: { kind: 'status', status: 429, retryAfterSeconds: 12 }, times: 1 }]);
  await assert.rejects(chatStream(provider, req(), 'claude-haiku-4-5', ctx()), (e: unknown) => {
    assert.ok(e instanceof GatewayError);
    assert.equal(e.kind, 'rate_limited');
    assert.equal(e.retryAfterMs, 12_000);
    assert.equal(e.upstreamType, 'rate_limit_error');
    return true;
  });
});

test('credit balance too low (400) -> quota_exhausted, not retried, key not echoed', async () => {
  sim.faults.set([{ fault: { kind: 'status', status: 429, variant: 'quota' }, times: 1 }]);
  await assert.rejects(chat(provider, req(), 'claude-haiku-4-5', ctx()), (e: unknown) => {
    assert.ok(e instanceof GatewayError);
    assert.equal(e.kind, 'quota_exhausted');
    assert.equal(e.retryable, false);
    assert.equal(e.upstreamStatus, 400);
    assert.doesNotMatch(e.message, /sk-ant-test-FAKE/);
    return true;
  });
});

test('a stream cut by a malformed frame is a typed cut', async () => {
  sim.faults.set([{ fault: { kind: 'malformed-after', after: 4 }, times: 1 }]);
  await assert.rejects(collect(provider, req()), (e: unknown) => e instanceof GatewayError && e.kind === 'cut' && e.code === 'upstream_malformed_frame');
});

test('the body has Anthropic\'s required fields; headers carry x-api-key and anthropic-version; same-format pass-through keeps client fields', async () => {
  const seen: { url?: string; headers?: Record<string, unknown>; body?: Record<string, unknown> }[] = [];
  const server = createServer((rq, rs) => {
    let data = '';
    rq.on('data', (c: Buffer) => (data += c.toString()));
    rq.on('end', () => {
      seen.push({ url: rq.url, headers: rq.headers, body: JSON.parse(data) as Record<string, unknown> });
      rs.writeHead(200, { 'content-type': 'application/json' });
      rs.end(JSON.stringify({ id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-haiku-4-5', content: [], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 0 } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const p = createAnthropicProvider({ name: 'c', type: 'anthropic', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, apiKey: 'sk-ant-test-FAKE', headers: {}, query: {} }, deps);
    await chat(p, req({ messages: [{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, ...req().messages] }), 'claude-haiku-4-5', ctx());
    const original = { format: 'anthropic-messages' as const, body: { model: 'smart', max_tokens: 9, top_k: 3, messages: [{ role: 'user', content: 'x' }] } };
    await chat(p, req(), 'claude-haiku-4-5', { ...ctx(), original });
    assert.equal(seen[0]?.url, '/v1/messages');
    assert.equal(seen[0]?.headers?.['x-api-key'], 'sk-ant-test-FAKE');
    assert.equal(seen[0]?.headers?.['anthropic-version'], '2023-06-01');
    assert.deepEqual(seen[0]?.body, { model: 'claude-haiku-4-5', max_tokens: 4096, system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }] }] });
    assert.deepEqual(seen[1]?.body, { model: 'claude-haiku-4-5', max_tokens: 9, top_k: 3, messages: [{ role: 'user', content: 'x' }], stream: false });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

test('no embeddings: a clear 400', async () => {
  await assert.rejects(provider.embed({ model: 'e', input: ['x'] }, 'e', ctx()), (e: unknown) => e instanceof GatewayError && e.status === 400 && e.code === 'embeddings_unsupported');
});
