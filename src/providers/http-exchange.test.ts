/** An exchange that tells a sink (the stream path) hears exactly one outcome: what `head` made, or why not. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../core/errors.js';
import type { Sink } from '../core/sink.js';
import { endpoint, exchange, type Exchange } from './http-exchange.js';
import { UpstreamPools } from './upstream-pool.js';

let server: Server;
const pools = new UpstreamPools();
let origin: string;

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    if (req.url === '/busy') res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' }).end('{"error":{"message":"slow down"}}');
    else res.writeHead(200, { 'content-type': 'text/event-stream' }).end('data: hi\n\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await pools.close();
  await new Promise<void>((r) => server.close(() => r()));
});

/** A sink that records every call it gets, and settles once the first one comes. */
function recorder<T>(): { sink: Sink<T>; calls: Array<['done', T] | ['failed', unknown]>; settled: Promise<void> } {
  const calls: Array<['done', T] | ['failed', unknown]> = [];
  let settle!: () => void;
  const settled = new Promise<void>((r) => (settle = r));
  return {
    calls,
    settled,
    sink: {
      done: (v) => (calls.push(['done', v]), settle()),
      failed: (e) => (calls.push(['failed', e]), settle()),
    },
  };
}

const send = <T>(path: string, head: (ex: Exchange, arg: string) => T | Promise<T>, sink: Sink<T>, url = origin) =>
  exchange(endpoint('test', pools, `${url}${path}`), 'POST', { 'content-type': 'application/json' }, '{}', undefined, head, 'arg', sink);

test('a 2xx answer: the sink gets what head made of it, and the body reads on', async () => {
  const r = recorder<Exchange>();
  let arg: string | undefined;
  send('/ok', (ex, a) => ((arg = a), ex), r.sink);
  await r.settled;
  assert.equal(r.calls.length, 1);
  const [kind, ex] = r.calls[0]!;
  assert.equal(kind, 'done');
  assert.equal(arg, 'arg', 'head gets the argument it was given');
  assert.equal((ex as Exchange).status, 200);
  assert.equal((await (ex as Exchange).body()).toString(), 'data: hi\n\n');
});

test('an error answer: head’s rejection (after reading the body) reaches the sink as the failure', async () => {
  const r = recorder<never>();
  send(
    '/busy',
    async (ex): Promise<never> => {
      const body = (await ex.body()).toString();
      throw new GatewayError({ code: 'upstream_rate_limited', message: `${ex.status} ${ex.header('retry-after')} ${body}`, status: 429, kind: 'rate_limited' });
    },
    r.sink,
  );
  await r.settled;
  assert.equal(r.calls.length, 1);
  const [kind, e] = r.calls[0]!;
  assert.equal(kind, 'failed');
  assert.ok(e instanceof GatewayError);
  assert.equal(e.message, '429 7 {"error":{"message":"slow down"}}');
});

test('head throwing: the sink hears the throw, not an opened stream', async () => {
  const r = recorder<never>();
  send(
    '/ok',
    () => {
      throw new Error('cannot decode');
    },
    r.sink,
  );
  await r.settled;
  assert.deepEqual(
    r.calls.map(([k, v]) => [k, (v as Error).message]),
    [['failed', 'cannot decode']],
  );
});

test('nothing listening: the sink hears a typed connection error, once', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const dead = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((r) => closed.close(() => r()));
  const r = recorder<Exchange>();
  send('/ok', (ex) => ex, r.sink, dead);
  await r.settled;
  await new Promise((r2) => setImmediate(r2));
  assert.equal(r.calls.length, 1);
  const [kind, e] = r.calls[0]!;
  assert.equal(kind, 'failed');
  assert.ok(e instanceof GatewayError, 'a GatewayError the router can classify');
  assert.equal(e.code, 'upstream_unreachable');
  assert.match(e.message, /test refused the connection/);
});
