/** Upstream connections are reused, grow only with concurrency, and survive the upstream closing them. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toPromise } from '../core/sink.js';
import { asIs, endpoint, exchange, type Exchange } from './http-exchange.js';
import { UpstreamPools } from './upstream-pool.js';

let server: Server;
let pools = new UpstreamPools();
let origin: string;
let connections = 0;
let hold: Array<() => void> | undefined;

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    const close = req.headers['x-close'] === '1' ? { connection: 'close' } : {};
    const answer = () => res.writeHead(200, { 'content-type': 'application/json', ...close }).end('{"ok":true}');
    if (hold) hold.push(answer);
    else answer();
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await pools.close();
  await new Promise<void>((r) => server.close(() => r()));
});

const call = async (headers: Record<string, string> = {}) => {
  const at = endpoint('test', pools, `${origin}/v1/x`);
  const ex = await toPromise<Exchange>((to) => exchange(at, 'POST', { 'content-type': 'application/json', ...headers }, '{}', undefined, asIs, undefined, to));
  return (await ex.body()).toString();
};

test('sequential requests reuse one connection', async () => {
  connections = 0;
  for (let i = 0; i < 20; i++) assert.equal(await call(), '{"ok":true}');
  assert.equal(connections, 1);
  assert.equal(pools.pool(origin).size, 1);
});

test('connections grow with concurrency, then are reused', async () => {
  hold = [];
  const first = Array.from({ length: 8 }, () => call());
  while (hold.length < 8) await new Promise((r) => setImmediate(r));
  for (const go of hold) go();
  hold = undefined;
  await Promise.all(first);
  const size = pools.pool(origin).size;
  assert.equal(size, 8, 'one connection per request in flight');
  await Promise.all(Array.from({ length: 8 }, () => call()));
  await Promise.all(Array.from({ length: 8 }, () => call()));
  assert.equal(pools.pool(origin).size, size, 'no new connections for the same concurrency');
});

test('a connection the upstream closed is replaced, and new pools start afresh', async () => {
  await pools.close();
  pools = new UpstreamPools();
  connections = 0;
  assert.equal(await call({ 'x-close': '1' }), '{"ok":true}', 'answered with Connection: close');
  assert.equal(await call(), '{"ok":true}');
  assert.equal(connections, 2, 'the closed connection was replaced');
  await pools.close();
  pools = new UpstreamPools();
  assert.equal(await call(), '{"ok":true}');
  assert.equal(pools.pool(origin).size, 1);
});

test("the connection class comes from undici's own module and is undici's Client", async () => {
  const { Client } = await import('undici');
  const { UpstreamClient } = await import('./upstream-pool.js');
  assert.equal(UpstreamClient, Client);
});
