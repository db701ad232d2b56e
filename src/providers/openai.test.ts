/** createOpenAIProvider against the simulated OpenAI API on loopback (and a header-capturing stub for wire details). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chat, chatStream, chunks, testDeps } from '../test-support/provider-calls.js';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../core/errors.js';
import type { ChatRequest } from '../core/request.js';
import type { StreamEvent } from '../core/stream-event.js';
import { SimServer } from '../sim/engine.js';
import { openaiWire } from '../sim/openai-wire.js';
import { createOpenAIProvider } from './openai.js';
import type { Provider, ProviderConfig } from './types.js';

const deps = testDeps();
let sim: SimServer;
let origin: string;
let provider: Provider;
const ctx = () => ({ signal: new AbortController().signal });
const config = (over: Partial<ProviderConfig> = {}): ProviderConfig => ({
  name: 'openai-main',
  type: 'openai',
  baseUrl: `${origin}/v1`,
  apiKey: 'sk-test-FAKE',
  headers: {},
  query: {},
  ...over,
});

const req = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'fast',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }] }],
  stream: false,
  includeUsage: true,
  ...over,
});

const weather = { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } };

before(async () => {
  sim = new SimServer(openaiWire);
  origin = await sim.start();
  provider = createOpenAIProvider(config(), deps);
});
after(async () => {
  await sim.stop();
  await deps.pools.close();
});

async function collect(p: Provider, r: ChatRequest): Promise<StreamEvent[]> {
  const s = await chatStream(p, r, 'gpt-4o-mini', ctx());
  const events: StreamEvent[] = [];
  for await (const chunk of chunks(s)) events.push(...chunk.events);
  return events;
}

async function failure(p: Promise<unknown>): Promise<GatewayError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  assert.ok(e instanceof GatewayError, `expected a GatewayError, got ${String(e)}`);
  return e;
}

test('chat: canonical response with the upstream model, usage and raw bytes', async () => {
  const { response, raw, format } = await chat(provider, req(), 'gpt-4o-mini', ctx());
  assert.equal(format, 'openai-chat');
  assert.equal(response.model, 'gpt-4o-mini');
  assert.equal(response.finishReason, 'stop');
  assert.ok(response.text.length > 0);
  assert.ok(response.usage.inputTokens > 0 && response.usage.outputTokens > 0);
  assert.equal((JSON.parse(raw.toString()) as { object: string }).object, 'chat.completion');
});

test('chatStream: start, text, finish with usage; same text as the JSON answer', async () => {
  const { response } = await chat(provider, req(), 'gpt-4o-mini', ctx());
  const events = await collect(provider, req({ stream: true }));
  assert.equal(events[0]?.type, 'start');
  const finish = events.at(-1);
  assert.ok(finish?.type === 'finish');
  assert.equal(finish.finishReason, 'stop');
  assert.deepEqual(finish.usage, response.usage);
  const text = events.map((e) => (e.type === 'text' ? e.text : '')).join('');
  assert.equal(text, response.text);
});

test('chatStream: a tool call with streamed arguments', async () => {
  const events = await collect(provider, req({ stream: true, includeUsage: false, tools: [weather] }));
  const start = events.find((e) => e.type === 'tool-call-start');
  assert.ok(start?.type === 'tool-call-start');
  assert.equal(start.name, 'get_weather');
  const args = events.map((e) => (e.type === 'tool-call-delta' ? e.args : '')).join('');
  assert.deepEqual(JSON.parse(args), { location: 'Paris' });
  const finish = events.at(-1);
  assert.ok(finish?.type === 'finish');
  assert.equal(finish.finishReason, 'tool_calls');
  assert.equal(finish.usage, undefined); // not asked for, so OpenAI sends none
});

test('embed: one deterministic vector per input, dimensions respected', async () => {
  const a = await provider.embed({ model: 'emb', input: ['hello', 'world'] }, 'text-embedding-3-small', ctx());
  assert.equal(a.embeddings.length, 2);
  assert.equal(a.embeddings[0]!.length, 8);
  const b = await provider.embed({ model: 'emb', input: ['hello'], dimensions: 4 }, 'text-embedding-3-small', ctx());
  assert.equal(b.embeddings[0]!.length, 4);
  assert.ok(a.usage.inputTokens > 0);
});

test('429 rate limit: retryable, with the wait from retry-after / reset headers', async () => {
  sim.faults.set([{ fault: { kind: 'status', status: 429, retryAfterSeconds: 3 }, times: 1 }]);
  const e = await failure(chat(provider, req(), 'gpt-4o-mini', ctx()));
  assert.equal(e.kind, 'rate_limited');
  assert.equal(e.retryable, true);
  assert.equal(e.retryAfterMs, 3000);
  assert.equal(e.provider, 'openai-main');
  assert.equal(e.upstreamCode, 'rate_limit_exceeded');
});

test('429 insufficient_quota: quota_exhausted, not retryable', async () => {
  sim.faults.set([{ fault: { kind: 'status', status: 429, variant: 'quota' }, times: 1 }]);
  const e = await failure(chatStream(provider, req({ stream: true }), 'gpt-4o-mini', ctx()));
  assert.equal(e.kind, 'quota_exhausted');
  assert.equal(e.retryable, false);
});

test('503 overloaded and an HTML 502 edge page', async () => {
  sim.faults.set([{ fault: { kind: 'status', status: 503 }, times: 1 }]);
  const over = await failure(chat(provider, req(), 'gpt-4o-mini', ctx()));
  assert.equal(over.kind, 'overloaded');
  assert.match(over.message, /engine is currently overloaded/);

  sim.faults.set([{ fault: { kind: 'edge-html', status: 502 }, times: 1 }]);
  const edge = await failure(chat(provider, req(), 'gpt-4o-mini', ctx()));
  assert.equal(edge.kind, 'transient');
  assert.equal(edge.status, 502);
  assert.match(edge.message, /openai-main returned HTTP 502 with an HTML error page \("502 Bad Gateway"\)/);
});

test('401: the key the upstream echoes never reaches the error', async () => {
  sim.faults.set([{ fault: { kind: 'status', status: 401 }, times: 1 }]);
  const e = await failure(chat(provider, req(), 'gpt-4o-mini', ctx()));
  assert.equal(e.kind, 'auth');
  assert.doesNotMatch(e.message, /sk-/);
  assert.match(e.message, /\[redacted\]/);
});

test('mid-stream failures are typed cuts, never a clean end', async () => {
  sim.faults.set([{ fault: { kind: 'malformed-after', after: 3 }, times: 1 }]);
  const bad = await failure(collect(provider, req({ stream: true })));
  assert.equal(bad.kind, 'cut');
  assert.equal(bad.code, 'upstream_malformed_frame');

  // A small gap so the first frames really leave before the socket is destroyed.
  sim.chunkDelayMs = 5;
  try {
    sim.faults.set([{ fault: { kind: 'cut-after', after: 3 }, times: 1 }]);
    const cut = await failure(collect(provider, req({ stream: true })));
    assert.equal(cut.kind, 'cut');
  } finally {
    sim.chunkDelayMs = 0;
  }
});

test('a compatible server echoing our key in any shape: the exact key is removed', async () => {
  const key = 'my-private-token-42';
  const server = createServer((rq, rs) => {
    rq.resume();
    rs.writeHead(500, { 'content-type': 'text/plain' });
    rs.end(`internal error: token ${key} rejected`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const p = createOpenAIProvider(config({ type: 'openai-compatible', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: key }), deps);
    const e = await failure(chat(p, req(), 'm', ctx()));
    assert.equal(e.kind, 'transient');
    assert.doesNotMatch(e.message, /my-private-token/);
    assert.match(e.message, /token \[redacted\] rejected/);
  } finally {
    server.close();
  }
});

test('a redirect (a base_url that is not the API\'s) is the target\'s failure, a 502 the next target can answer; its location is not shown', async () => {
  const server = createServer((rq, rs) => {
    rq.resume();
    rs.writeHead(301, { location: 'https://api.example.com/v1/chat/completions?key=sk-secret-in-location' });
    rs.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const p = createOpenAIProvider(config({ type: 'openai-compatible', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }), deps);
    for (const call of [chat(p, req(), 'm', ctx()), chatStream(p, req({ stream: true }), 'm', ctx()), p.embed({ model: 'e', input: ['x'] }, 'm', ctx())]) {
      const e = await failure(call);
      assert.equal(e.status, 502);
      assert.equal(e.kind, 'transient');
      assert.equal(e.code, 'upstream_redirect');
      assert.equal(e.upstreamStatus, 301);
      assert.match(e.message, /HTTP 301 \(a redirect\).*base_url/);
      assert.doesNotMatch(e.message, /sk-secret|example\.com/);
    }
  } finally {
    server.close();
  }
});

test('a 200 that is not what was asked for says what it was: JSON, HTML or nothing for a stream; HTML, nothing or broken JSON for an answer', async () => {
  const bodies: Record<string, [string, string]> = {
    json: ['application/json', JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }] })],
    html: ['text/html', '<!doctype html><title>Login</title>'],
    empty: ['application/json', ''],
    broken: ['application/json', '{"choices": ['],
  };
  const server = createServer((rq, rs) => {
    rq.resume();
    const [type, body] = bodies[rq.headers['x-kind'] as string]!;
    rs.writeHead(200, { 'content-type': type });
    rs.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const answering = (kind: string) =>
    createOpenAIProvider(config({ type: 'openai-compatible', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, headers: { 'x-kind': kind } }), deps);
  try {
    // Streams: a cut before the first token, which the next target takes.
    for (const [kind, what] of [['json', 'a JSON body'], ['html', 'an HTML page']]) {
      const e = await failure(collect(answering(kind!), req({ stream: true })));
      assert.deepEqual([e.code, e.kind, e.status], ['upstream_not_streaming', 'cut', 502]);
      assert.ok(e.message.includes(`answered a streamed request with ${what}, not an event stream`), e.message);
    }
    const cut = await failure(collect(answering('empty'), req({ stream: true })));
    assert.equal(cut.kind, 'cut', 'an empty body is a stream that ended before the answer');
    // Answers: malformed, transient.
    for (const [kind, what] of [['html', 'an HTML page'], ['empty', 'an empty body'], ['broken', 'a body that is not valid JSON']]) {
      const e = await failure(chat(answering(kind!), req(), 'm', ctx()));
      assert.deepEqual([e.code, e.kind, e.status], ['upstream_malformed', 'transient', 502]);
      assert.ok(e.message.includes(`answered with ${what}, not the JSON answer`), e.message);
    }
  } finally {
    server.close();
  }
});

test('an answer or a stream event far larger than any real one is dropped as the target\'s failure, and not read to its end', async () => {
  const MiB = Buffer.alloc(1048576, 0x61);
  const stopped: Promise<number>[] = [];
  const server = createServer((rq, rs) => {
    rq.resume();
    const stream = rq.headers.accept === 'text/event-stream';
    rs.writeHead(200, { 'content-type': stream ? 'text/event-stream' : 'application/json' });
    rs.write(stream ? 'data: "' : '{"choices": "');
    // Up to 1 GiB, never ending the event; it stops when the gateway hangs up.
    let sent = 0;
    const more = () => {
      while (sent < 1024 && !rs.destroyed) {
        sent++;
        if (!rs.write(MiB)) return void rs.once('drain', more);
      }
    };
    stopped.push(new Promise((resolve) => rs.on('close', () => resolve(sent))));
    more();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const p = createOpenAIProvider(config({ type: 'openai-compatible', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }), deps);
    const json = await failure(chat(p, req(), 'm', ctx()));
    assert.deepEqual([json.code, json.kind, json.status], ['upstream_too_large', 'transient', 502]);
    assert.match(json.message, /more than 64 MiB/);
    const event = await failure(collect(p, req({ stream: true })));
    assert.deepEqual([event.code, event.kind, event.status], ['upstream_event_too_large', 'cut', 502]);
    assert.match(event.message, /more than 16 MiB/);
    // Each answer was cut off near its limit (the rest still in socket buffers), not read to its 1 GiB end.
    const sent = await Promise.all(stopped);
    assert.ok(sent.length === 2 && sent.every((n) => n < 128), `MiB written before the gateway hung up: ${sent.join(', ')}`);
  } finally {
    server.close();
  }
});

/** A stub upstream that records what it was sent and answers a minimal completion. */
type Seen = { url: string; headers: IncomingHttpHeaders; body: Record<string, unknown>; text: string };

async function recorder(): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((rq, rs) => {
    let text = '';
    rq.on('data', (c: Buffer) => (text += c.toString()));
    rq.on('end', () => {
      seen.push({ url: rq.url ?? '', headers: rq.headers, body: JSON.parse(text) as Record<string, unknown>, text });
      rs.writeHead(200, { 'content-type': 'application/json' });
      rs.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

test('auth and query: Bearer, Azure api-key + api-version, none for keyless servers', async () => {
  const rec = await recorder();
  try {
    await chat(createOpenAIProvider(config({ baseUrl: `${rec.url}/v1/` }), deps), req(), 'gpt-4o', ctx());
    const azure = config({ type: 'openai-compatible', baseUrl: `${rec.url}/openai/deployments/gpt4o`, authHeader: 'api-key', query: { 'api-version': '2024-10-21' } });
    await chat(createOpenAIProvider(azure, deps), req({ maxTokens: 10 }), 'gpt-4o', ctx());
    await chat(createOpenAIProvider(config({ type: 'openai-compatible', baseUrl: rec.url, apiKey: undefined }), deps), req(), 'llama3', ctx());
    const [openai, az, ollama] = rec.seen;
    assert.equal(openai!.url, '/v1/chat/completions');
    assert.equal(openai!.headers.authorization, 'Bearer sk-test-FAKE');
    assert.equal(az!.url, '/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21');
    assert.equal(az!.headers['api-key'], 'sk-test-FAKE');
    assert.equal(az!.headers.authorization, undefined);
    assert.equal(az!.body.max_tokens, 10); // compatible servers get the widely understood name
    assert.equal(ollama!.headers.authorization, undefined);
    assert.equal(ollama!.headers['api-key'], undefined);
  } finally {
    rec.server.close();
  }
});

test('pass-through keeps the client body, sets model and stream, drops stream_options when not streaming', async () => {
  const rec = await recorder();
  try {
    const p = createOpenAIProvider(config({ baseUrl: rec.url }), deps);
    const original = { format: 'openai-chat' as const, body: { model: 'fast', messages: [{ role: 'user', content: 'hi' }], logit_bias: { '1': 2 }, stream: true, stream_options: { include_usage: true } } };
    await chat(p, req(), 'gpt-4o', { ...ctx(), original });
    assert.deepEqual(rec.seen[0]!.body, { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], logit_bias: { '1': 2 }, stream: false });
  } finally {
    rec.server.close();
  }
});

test('pass-through sends the client\'s own text with only the model changed; escaped duplicate keys cannot pick the model', async () => {
  const rec = await recorder();
  try {
    const p = createOpenAIProvider(config({ baseUrl: rec.url }), deps);
    const text = '{"messages": [{"role":"user","content":"say \\"model\\": x"}], "model": "fast",  "seed": 1.50, "metadata": {"model":"m"}}';
    await chat(p, req(), 'gpt-4o', { ...ctx(), original: { format: 'openai-chat' as const, body: JSON.parse(text) as Record<string, unknown>, text } });
    assert.equal(rec.seen[0]!.text, text.replace('"model": "fast"', '"model": "gpt-4o"'));
    // JSON.parse keeps the last of duplicate keys, and reads escapes in keys: the upstream must still get the target's model.
    const sneaky = '{"model":"fast","messages":[{"role":"user","content":"hi"}],"mod\\u0065l":"o1-pro"}';
    const body = JSON.parse(sneaky) as Record<string, unknown>;
    await chat(p, req(), 'gpt-4o', { ...ctx(), original: { format: 'openai-chat' as const, body, text: sneaky } });
    assert.equal(rec.seen[1]!.body.model, 'gpt-4o');
  } finally {
    rec.server.close();
  }
});
