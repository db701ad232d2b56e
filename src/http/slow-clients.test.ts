/**
 * Clients that are slow or gone, on real sockets (issue #24 item 5): a streaming client that stops
 * reading is cut after the write timeout and the upstream released, without counting against the
 * provider; a body trickled in is answered 408 in the client's own format within the body timer;
 * a client that drops mid-upload is logged as its own doing (499), never as an internal error.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { DEFAULT_SERVER_HARDENING } from '../config/server-hardening-schema.js';
import { startStack, type Stack } from '../test-support/stack.js';

const WRITE_TIMEOUT_MS = 1_000;
const BODY_TIMEOUT_MS = 1_000;

/** An upstream that streams an endless answer as fast as its client takes it (bounded: 60 s or until its request closes). */
let firehose: Server;
let upstreamOpen = 0;
let upstreamClosed = 0;
let stack: Stack;
const lines: string[] = [];

function startFirehose(): Promise<string> {
  const frame = `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'fast', choices: [{ index: 0, delta: { content: 'x'.repeat(400) }, logprobs: null, finish_reason: null }] })}\n\n`;
  const burst = Buffer.from(frame.repeat(40));
  firehose = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      upstreamOpen++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'fast', choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, logprobs: null, finish_reason: null }] })}\n\n`);
      const until = Date.now() + 60_000;
      const more = (): void => {
        while (!res.destroyed && Date.now() < until) if (!res.write(burst)) return void res.once('drain', more);
        res.end();
      };
      more();
      res.on('close', () => upstreamClosed++);
    });
  });
  return new Promise((r) => firehose.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(firehose.address() as AddressInfo).port}/v1`)));
}

before(async () => {
  const base = await startFirehose();
  stack = await startStack({
    logLines: lines,
    configure: (c) => ({
      ...c,
      server: { ...c.server, hardening: { ...DEFAULT_SERVER_HARDENING, writeTimeoutMs: WRITE_TIMEOUT_MS, bodyReadTimeoutMs: BODY_TIMEOUT_MS } },
      providers: [...c.providers, { name: 'firehose', type: 'openai-compatible', baseUrl: base, apiKey: 'sk-firehose-FAKE', headers: {}, query: {} }],
      models: [...c.models, { name: 'fast', targets: [{ provider: 'firehose', model: 'fast' }] }],
    }),
  });
});
after(async () => {
  await stack.close();
  firehose.closeAllConnections();
  await new Promise<void>((r) => firehose.close(() => r()));
});

const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
const accessLine = (requestId: string) => parsed().find((l) => l.msg === 'request' && l.requestId === requestId);
const loudLines = (requestId: string) => parsed().filter((l) => (l.level as number) >= 40 && (l.requestId === requestId || l.requestId === undefined));

async function until<T>(what: string, ms: number, probe: () => T | undefined): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) assert.fail(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function open(): Promise<Socket> {
  const { hostname, port } = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname, () => resolve(s));
    s.on('error', reject);
  });
}

const chat = (model: string, stream: boolean) => JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'Tell me everything.' }] });
const head = (path: string, id: string, length: number) =>
  `POST ${path} HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nx-request-id: ${id}\r\nanthropic-version: 2023-06-01\r\nContent-Length: ${length}\r\n\r\n`;

test('a streaming client that stops reading is cut after the write timeout: the upstream is released and the provider is not blamed', { timeout: 20_000 }, async () => {
  const id = `slow-${Date.now()}`;
  const socket = await open();
  const body = chat('fast', true);
  socket.write(head('/v1/chat/completions', id, Buffer.byteLength(body)) + body);
  // Read nothing: the gateway's writes back up to the socket's buffers, then it must wait for us.
  socket.pause();
  const opened = upstreamOpen;
  await until('the upstream streams', 5_000, () => upstreamOpen >= 1);
  const started = Date.now();
  const closed = new Promise<void>((r) => socket.on('close', () => r()));
  socket.on('error', () => {});
  const line = await until('the access line', 10_000, () => accessLine(id));
  const took = Date.now() - started;
  assert.equal(line.status, 200, 'the answer had begun');
  assert.equal(line.aborted, true);
  assert.equal(line.reason, 'write_timeout');
  assert.ok(took < WRITE_TIMEOUT_MS + 3_000, `cut ${took} ms after the stream began (write timeout ${WRITE_TIMEOUT_MS} ms)`);
  await until('the upstream request is released', 5_000, () => upstreamClosed >= opened);
  socket.resume();
  await closed;
  assert.deepEqual(loudLines(id), [], 'nothing at warn or above: the client was slow, not the provider or the gateway');
});

test('a body trickled in at one byte every 2 s is answered 408 within the body timer, in the client\'s format, and the connection closed', { timeout: 20_000 }, async () => {
  for (const [path, shape] of [
    ['/v1/chat/completions', (b: Record<string, unknown>) => assert.equal((b.error as { code: string }).code, 'body_timeout')],
    ['/v1/messages', (b: Record<string, unknown>) => assert.equal(b.type, 'error')],
  ] as const) {
    const id = `trickle-${Date.now()}`;
    const body = chat('via-openai', false);
    const socket = await open();
    let got = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (got += d));
    const ended = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('error', () => {});
    const started = Date.now();
    socket.write(head(path, id, Buffer.byteLength(body)));
    let sent = 0;
    const trickle = setInterval(() => {
      if (!socket.destroyed && sent < body.length) socket.write(body[sent++]!);
    }, 2_000);
    try {
      await ended;
    } finally {
      clearInterval(trickle);
    }
    const took = Date.now() - started;
    assert.ok(took < BODY_TIMEOUT_MS + 1_500, `${path}: answered and closed after ${took} ms (body timer ${BODY_TIMEOUT_MS} ms)`);
    const [h, payload] = got.split('\r\n\r\n', 2) as [string, string];
    assert.match(h, /^HTTP\/1\.1 408 /, path);
    assert.match(h, /\r\nconnection: close\r\n/i, path);
    shape(JSON.parse(payload) as Record<string, unknown>);
    assert.equal((await until('the access line', 2_000, () => accessLine(id))).status, 408);
  }
});

test('a client that drops mid-upload is logged as its own doing: a 499 access line, nothing at error level', { timeout: 10_000 }, async () => {
  const id = `drop-${Date.now()}`;
  const body = chat('via-openai', false);
  const socket = await open();
  socket.on('error', () => {});
  socket.write(head('/v1/chat/completions', id, Buffer.byteLength(body)) + body.slice(0, body.length >> 1));
  // Let the gateway start reading the body, then go away.
  await new Promise((r) => setTimeout(r, 100));
  socket.destroy();
  const line = await until('the access line', 5_000, () => accessLine(id));
  assert.equal(line.status, 499);
  assert.equal(line.aborted, true);
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(loudLines(id), [], 'no internal error, no warning');
});
