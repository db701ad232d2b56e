/**
 * The client side of a stream on a real socket: waiting for a slow client leaves nothing behind
 * per wait (issue #24: each wait once added a 'close' and an 'error' listener, 781 of each after
 * 781 waits), and a client that takes nothing is cut after the write timeout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { createSystemClock, type Clock } from '../core/clock.js';
import type { AnswerStream } from '../routing/answer-stream.js';
import { StreamPump } from './stream-pump.js';

const WAITS = 1_000;
const CHUNK = Buffer.alloc(32 * 1024, 0x61);

/** A clock that counts its timers still armed. */
function countingClock(): Clock & { armed: () => number } {
  const real = createSystemClock();
  let armed = 0;
  return {
    now: () => real.now(),
    setTimeout: (fn, ms, arg) => {
      armed++;
      return real.setTimeout((a) => {
        armed--;
        fn(a);
      }, ms, arg);
    },
    clearTimeout: (h) => {
      armed--;
      real.clearTimeout(h);
    },
    armed: () => armed,
  };
}

/** An answer that writes until the client pushes back, WAITS times, and records what the response carries at each wait. */
class WaitingAnswer {
  waits = 0;
  maxListeners = 0;
  maxTimers = 0;
  cancelled = false;
  pump!: StreamPump;
  constructor(
    private readonly res: ServerResponse,
    private readonly clock: { armed: () => number },
  ) {}
  start(): void {
    this.go();
  }
  resume(): void {
    this.go();
  }
  cancel(): void {
    this.cancelled = true;
  }
  private go(): void {
    while (this.waits < WAITS) {
      if (!this.pump.write(CHUNK)) {
        this.waits++;
        const res = this.res;
        const socket = res.socket!;
        const n = Math.max(...['drain', 'close', 'error', 'finish'].map((e) => res.listenerCount(e)), ...['drain', 'close', 'error', 'end'].map((e) => socket.listenerCount(e)));
        this.maxListeners = Math.max(this.maxListeners, n);
        this.maxTimers = Math.max(this.maxTimers, this.clock.armed());
        return;
      }
    }
    this.pump.end('done');
  }
}

test(`${WAITS} backpressure waits on a real socket leave no listener and no timer behind`, { timeout: 60_000 }, async () => {
  const clock = countingClock();
  let answer: WaitingAnswer | undefined;
  let listenersBefore = 0;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const pump = new StreamPump(res, clock, 30_000, { remaining: () => 60_000 }, {});
    listenersBefore = Math.max(...['drain', 'close', 'error', 'finish'].map((e) => res.listenerCount(e)));
    answer = new WaitingAnswer(res, clock);
    answer.pump = pump;
    pump.run(answer as unknown as AnswerStream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  let received = 0;
  await new Promise<void>((resolve, reject) => {
    request({ port, host: '127.0.0.1', method: 'GET' }, (res) => {
      res.on('data', (d: Buffer) => (received += d.length));
      res.on('end', resolve);
    })
      .on('error', reject)
      .end();
  });
  server.close();
  assert.equal(answer!.waits, WAITS);
  assert.ok(received >= WAITS * CHUNK.length);
  assert.ok(answer!.maxListeners <= listenersBefore + 1, `at most ${answer!.maxListeners} listeners of one event at any wait (${listenersBefore} after the pump was made)`);
  assert.ok(answer!.maxTimers <= 1, 'one write timer at most, never one per wait left armed');
  assert.equal(clock.armed(), 0, 'no timer left once the answer is over');
  assert.equal(answer!.cancelled, false);
});

test('a client that takes nothing is cut after the write timeout, and the answer cancelled', { timeout: 10_000 }, async () => {
  const clock = countingClock();
  let answer: WaitingAnswer | undefined;
  const scope: { reason?: string } = {};
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const pump = new StreamPump(res, clock, 1_000, { remaining: () => 60_000 }, scope);
    answer = new WaitingAnswer(res, clock);
    answer.pump = pump;
    pump.run(answer as unknown as AnswerStream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const started = Date.now();
  // A raw socket that never reads (an http client would keep reading into its own buffers).
  const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  socket.pause();
  socket.on('error', () => {});
  while (!answer?.cancelled && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 20));
  const took = Date.now() - started;
  socket.destroy();
  server.close();
  assert.ok(took >= 900 && took < 4_000, `cut after ${took} ms`);
  assert.equal(answer!.cancelled, true);
  assert.equal(scope.reason, 'write_timeout');
  assert.equal(clock.armed(), 0);
});

test('a client that never takes the last bytes of an answer is cut too', { timeout: 10_000 }, async () => {
  const clock = countingClock();
  const scope: { reason?: string } = {};
  let res: ServerResponse | undefined;
  const server = createServer((_req, r) => {
    res = r;
    r.writeHead(200, { 'content-type': 'text/event-stream' });
    const pump = new StreamPump(r, clock, 1_000, { remaining: () => 60_000 }, scope);
    // The whole answer as its end: more than the socket and the client's buffers take.
    pump.end(Buffer.alloc(32 * 1024 * 1024, 0x61));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
  socket.pause();
  socket.on('error', () => {});
  const started = Date.now();
  while (!res?.destroyed && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 20));
  const took = Date.now() - started;
  socket.destroy();
  server.close();
  assert.equal(res?.destroyed, true);
  assert.ok(took < 4_000, `cut after ${took} ms`);
  assert.equal(scope.reason, 'write_timeout');
  assert.equal(clock.armed(), 0);
});
