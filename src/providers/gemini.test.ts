/**
 * createGeminiProvider against the simulated Gemini API on loopback: the
 * format's encoder and decoders meet a wire written independently from
 * Google's reference, plus a capturing server to check URL and auth header.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chat, chatStream, chunks, testDeps } from '../test-support/provider-calls.js';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../core/errors.js';
import type { ChatRequest } from '../core/request.js';
import type { StreamEvent } from '../core/stream-event.js';
import { SimServer } from '../sim/engine.js';
import { geminiWire } from '../sim/gemini-wire.js';
import { createGeminiProvider } from './gemini.js';
import type { Provider } from './types.js';

const KEY = 'AIza-test-FAKE-key';
const deps = testDeps();
let sim: SimServer;
let provider: Provider;

before(async () => {
  sim = new SimServer(geminiWire);
  const origin = await sim.start();
  provider = createGeminiProvider({ name: 'gem', type: 'gemini', baseUrl: `${origin}/v1beta`, apiKey: KEY, headers: {}, query: {} }, deps);
});
after(async () => {
  await sim.stop();
  await deps.pools.close();
});

const ctx = () => ({ signal: new AbortController().signal });
const ask = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'alias',
  messages: [{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, { role: 'user', content: [{ type: 'text', text }] }],
  stream: false,
  includeUsage: true,
  ...extra,
});
const weather = { name: 'get_weather', description: 'Weather for a city', parameters: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: false, properties: { city: { type: 'string' } }, required: ['city'] } };

async function collect(p: Provider, req: ChatRequest): Promise<StreamEvent[]> {
  const stream = await chatStream(p, req, 'gemini-2.0-flash', ctx());
  const events: StreamEvent[] = [];
  for await (const chunk of chunks(stream)) events.push(...chunk.events);
  return events;
}

test('chat: text answer, model, usage', async () => {
  const { response, format } = await chat(provider, ask('Say hello'), 'gemini-2.0-flash', ctx());
  assert.equal(format, 'gemini');
  assert.ok(response.text.length > 0);
  assert.equal(response.model, 'gemini-2.0-flash');
  assert.equal(response.finishReason, 'stop');
  assert.ok(response.usage.inputTokens > 0 && response.usage.outputTokens > 0);
});

test('chatStream: text deltas equal the non-streamed answer, finish carries usage', async () => {
  const { response } = await chat(provider, ask('Say hello'), 'gemini-2.0-flash', ctx());
  const events = await collect(provider, ask('Say hello', { stream: true }));
  assert.equal(events[0]?.type, 'start');
  assert.equal(events.map((e) => (e.type === 'text' ? e.text : '')).join(''), response.text);
  const fin = events.at(-1);
  assert.ok(fin && fin.type === 'finish');
  assert.equal(fin.finishReason, 'stop');
  assert.deepEqual(fin.usage, response.usage);
});

test('chatStream: a function call (schema cleaned so the sim accepts it), then the tool result round trip', async () => {
  const events = await collect(provider, ask('Weather in Paris?', { stream: true, tools: [weather], toolChoice: 'required' }));
  const start = events.find((e) => e.type === 'tool-call-start');
  assert.ok(start && start.type === 'tool-call-start');
  assert.equal(start.name, 'get_weather');
  const args = events.filter((e) => e.type === 'tool-call-delta').map((e) => (e as { args: string }).args).join('');
  assert.deepEqual(JSON.parse(args), { city: 'Paris' });
  assert.equal((events.at(-1) as { finishReason: string }).finishReason, 'tool_calls');

  const req = ask('Weather in Paris?', { tools: [weather] });
  req.messages.push({ role: 'assistant', content: [], toolCalls: [{ id: start.id, name: start.name, arguments: args }] });
  req.messages.push({ role: 'tool', toolCallId: start.id, content: [{ type: 'text', text: 'sunny, 21C' }] });
  const { response } = await chat(provider, req, 'gemini-2.0-flash', ctx());
  assert.equal(response.text, 'The tool returned: sunny, 21C');
});

test('embed: vectors per input with estimated usage', async () => {
  const res = await provider.embed({ model: 'alias', input: ['hello world', 'bye'], dimensions: 16 }, 'text-embedding-004', ctx());
  assert.equal(res.embeddings.length, 2);
  assert.equal(res.embeddings[0]!.length, 16);
  assert.notDeepEqual(res.embeddings[0], res.embeddings[1]);
  assert.equal(res.usage.inputTokens, 3 + 1);
});

async function failure(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof GatewayError, String(e));
    return e;
  }
  assert.fail('expected a GatewayError');
}

test('errors: 429 RetryInfo -> rate_limited with retryAfterMs; daily quota -> quota_exhausted; 503 -> overloaded', async () => {
  sim.faults.set([{ fault: { kind: 'status', status: 429, retryAfterSeconds: 7 }, times: 1 }]);
  const rl = await failure(chat(provider, ask('x'), 'gemini-2.0-flash', ctx()));
  assert.deepEqual([rl.kind, rl.retryAfterMs, rl.provider, rl.upstreamStatus], ['rate_limited', 7000, 'gem', 429]);

  sim.faults.set([{ fault: { kind: 'status', status: 429, variant: 'quota' }, times: 1 }]);
  const quota = await failure(chat(provider, ask('x'), 'gemini-2.0-flash', ctx()));
  assert.equal(quota.kind, 'quota_exhausted');
  assert.equal(quota.retryable, false);

  sim.faults.set([{ fault: { kind: 'status', status: 503 }, times: 1 }]);
  const over = await failure(chatStream(provider, ask('x', { stream: true }), 'gemini-2.0-flash', ctx()));
  assert.deepEqual([over.kind, over.retryable], ['overloaded', true]);
  assert.ok(!over.message.includes(KEY));

  sim.faults.set([{ fault: { kind: 'edge-html', status: 502 }, times: 1 }]);
  const edge = await failure(chat(provider, ask('x'), 'gemini-2.0-flash', ctx()));
  assert.equal(edge.kind, 'transient');
  sim.faults.set([]);
});

test('a stream cut mid-answer and a malformed frame surface as kind cut, after the text that arrived', async () => {
  // With no gap between frames the engine destroys the socket before the first frames are flushed.
  sim.chunkDelayMs = 2;
  for (const [fault, code] of [[{ kind: 'cut-after', after: 3 }, undefined], [{ kind: 'malformed-after', after: 3 }, 'upstream_malformed_frame']] as const) {
    sim.faults.set([{ fault, times: 1 }]);
    const stream = await chatStream(provider, ask('Say hello', { stream: true }), 'gemini-2.0-flash', ctx());
    let texts = 0;
    const err = await failure(
      (async () => {
        for await (const chunk of chunks(stream)) texts += chunk.events.filter((e) => e.type === 'text').length;
      })(),
    );
    assert.equal(err.kind, 'cut');
    if (code) assert.equal(err.code, code);
    assert.equal(texts, 3);
  }
  sim.faults.set([]);
  sim.chunkDelayMs = 0;
});

test('URLs carry the model and alt=sse; the key travels only in x-goog-api-key', async () => {
  const seen: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ candidates: [{ content: { parts: [{ text: 'hi' }], role: 'model' }, finishReason: 'STOP' }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (server.address() as AddressInfo).port;
    const p = createGeminiProvider({ name: 'cap', type: 'gemini', baseUrl: `http://127.0.0.1:${port}/v1beta/`, apiKey: KEY, headers: {}, query: {} }, deps);
    const { response } = await chat(p, ask('x'), 'models/gemini-2.5-flash', ctx());
    // No modelVersion in the answer: the provider names the model it asked for.
    assert.equal(response.model, 'models/gemini-2.5-flash');
    await chatStream(p, ask('x', { stream: true }), 'gemini-2.5-flash', ctx()).then((s) => s.cancel()).catch(() => undefined);
    assert.equal(seen[0]!.url, '/v1beta/models/gemini-2.5-flash:generateContent');
    assert.equal(seen[1]!.url, '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    for (const s of seen) {
      assert.equal(s.headers['x-goog-api-key'], KEY);
      assert.ok(!s.url.includes(KEY));
      assert.equal('model' in (JSON.parse(s.body) as object), false);
    }
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
