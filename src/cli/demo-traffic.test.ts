/**
 * DemoTraffic against a stand-in gateway on loopback, driven by a ManualClock:
 * one request per interval over the mix (both wire formats), never more than
 * maxInFlight open, and stop() aborts what is open so the demo shuts down at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../core/clock.js';
import { DemoTraffic } from './demo-traffic.js';

interface Seen {
  path: string;
  body: { model: string; stream: boolean; max_tokens?: number };
}

async function fakeGateway(handle: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const s = { path: req.url ?? '', body: JSON.parse(text) as Seen['body'] };
      seen.push(s);
      handle(req, res, s);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond());
}

test('one request per interval, over the mix, counted by the provider that answered', async () => {
  const gw = await fakeGateway((_req, res, s) => {
    res.writeHead(s.body.model === 'gemini' ? 503 : 200, { 'content-type': 'application/json', 'x-switchyard-provider': s.body.model === 'claude' ? 'sim-anthropic' : 'sim-openai' });
    res.end('{}');
  });
  const clock = new ManualClock();
  const traffic = new DemoTraffic({ url: gw.url, clock, intervalMs: 400 });
  traffic.start();
  clock.advance(399);
  assert.equal(traffic.stats.sent, 0);
  clock.advance(1);
  assert.equal(traffic.stats.sent, 1);
  clock.advance(5 * 400);
  assert.equal(traffic.stats.sent, 6);
  await until(() => traffic.stats.ok + traffic.stats.failed === 6);
  traffic.stop();
  await gw.close();

  assert.deepEqual(
    gw.seen.map((s) => [s.path, s.body.model, s.body.stream]),
    [
      ['/v1/chat/completions', 'chat', false],
      ['/v1/messages', 'claude', true],
      ['/v1/chat/completions', 'chat', true],
      ['/v1/chat/completions', 'gemini', false],
      ['/v1/messages', 'chat', false],
      ['/v1/chat/completions', 'gemini', true],
    ],
  );
  // The Anthropic Messages API requires max_tokens.
  assert.ok(gw.seen.filter((s) => s.path === '/v1/messages').every((s) => typeof s.body.max_tokens === 'number'));
  assert.deepEqual(traffic.stats, { sent: 6, ok: 4, failed: 2, skipped: 0, byProvider: { 'sim-openai': 3, 'sim-anthropic': 1 } });
});

test('never more than maxInFlight open; stop() aborts them and sends nothing more', async () => {
  const gw = await fakeGateway(() => {
    // Never answers: a stalled upstream seen through the gateway.
  });
  const clock = new ManualClock();
  const traffic = new DemoTraffic({ url: gw.url, clock, intervalMs: 100, maxInFlight: 3 });
  traffic.start();
  clock.advance(500);
  assert.equal(traffic.stats.sent, 3);
  assert.equal(traffic.stats.skipped, 2);
  await until(() => gw.seen.length === 3);
  traffic.stop();
  assert.equal(traffic.open, 0);
  await until(() => traffic.stats.failed === 3);
  clock.advance(10_000);
  assert.equal(traffic.stats.sent, 3);
  assert.equal(clock.pendingTimers(), 0);
  await gw.close();
});

test('a request that takes longer than timeoutMs is aborted and counted as failed', async () => {
  const gw = await fakeGateway(() => {});
  const clock = new ManualClock();
  const traffic = new DemoTraffic({ url: gw.url, clock, intervalMs: 100, timeoutMs: 1_000 });
  traffic.tick();
  await until(() => gw.seen.length === 1);
  clock.advance(1_000);
  await until(() => traffic.stats.failed === 1);
  assert.equal(traffic.open, 0);
  await gw.close();
});
