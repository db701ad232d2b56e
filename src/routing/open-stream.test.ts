/** Opening a stream: held until its first token, under the time-to-first-token timer, every failure a rejection. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.js';
import { Cancel, type SignalLike } from '../core/cancel.js';
import { GatewayError } from '../core/errors.js';
import type { Provider, StreamChunk, UpstreamStream } from '../providers/types.js';
import { openStream, withTimer } from './open-stream.js';
import type { Target } from './route-table.js';

const target = { provider: { name: 'fake' } as Provider, model: 'm', label: 'fake/m' } as Target;
const timeouts = { ttftMs: 5000, idleMs: 1000 };

const roleChunk = (): StreamChunk => ({ raw: Buffer.from('data: {"role"}\n\n'), events: [{ type: 'start', id: 'x', model: 'm', created: 0 }] });
const textChunk = (text: string): StreamChunk => ({ raw: Buffer.from(`data: ${text}\n\n`), events: [{ type: 'text', text }] });

/** A stream fed by hand: chunks pushed now are polled at once, later ones resolve a pending next(). */
class HandStream implements UpstreamStream {
  readonly format = 'openai-chat' as const;
  cancelled: unknown = undefined;
  private ended = false;
  private queue: IteratorResult<StreamChunk>[] = [];
  private failure: unknown = undefined;
  private waiting: { resolve: (r: IteratorResult<StreamChunk>) => void; reject: (e: unknown) => void } | undefined;

  push(chunk: StreamChunk): void {
    this.deliver({ done: false, value: chunk });
  }
  end(): void {
    this.ended = true;
    this.deliver({ done: true, value: undefined });
  }
  fail(e: unknown): void {
    this.failure = e;
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(e);
  }
  private deliver(r: IteratorResult<StreamChunk>): void {
    const w = this.waiting;
    this.waiting = undefined;
    if (w) w.resolve(r);
    else this.queue.push(r);
  }
  cancel(reason?: unknown): void {
    this.cancelled = reason;
    this.fail(reason);
  }
  poll(): IteratorResult<StreamChunk> | undefined {
    if (this.failure !== undefined) throw this.failure;
    // An ended iterator keeps answering done.
    return this.queue.shift() ?? (this.ended ? { done: true, value: undefined } : undefined);
  }
  [Symbol.asyncIterator](): AsyncIterator<StreamChunk> {
    return {
      next: () => {
        const r = this.poll();
        if (r) return Promise.resolve(r);
        return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
      },
    };
  }
}

const tick = () => new Promise((r) => setImmediate(r));

test('frames before the first token are kept with it, and the time to first token is the clock’s', async () => {
  const clock = new ManualClock();
  const s = new HandStream();
  s.push(roleChunk());
  const opening = openStream(clock, target, timeouts, new Cancel(), (_t, _signal, to) => to.done(s));
  await tick();
  clock.advance(120);
  s.push(textChunk('Hello'));
  const opened = await opening;
  assert.deepEqual(
    opened.head.map((c) => c.events[0]!.type),
    ['start', 'text'],
  );
  assert.equal(opened.ttftMs, 120);
  assert.equal(clock.pendingTimers(), 0, 'the time-to-first-token timer is cleared once the token is in');
  s.push(textChunk(' world'));
  assert.equal(opened.poll()?.value?.events[0]?.type, 'text', 'the rest of the stream reads on from where the opening stopped');
});

test('no first token within the limit: a ttft_timeout rejection, and the upstream is cancelled', async () => {
  const clock = new ManualClock();
  const s = new HandStream();
  s.push(roleChunk());
  // As a real exchange does: the attempt's signal aborting fails the stream's read.
  const opening = openStream(clock, target, timeouts, new Cancel(), (_t, signal, to) => {
    signal.addEventListener('abort', () => s.fail(new Error('aborted')));
    to.done(s);
  });
  await tick();
  clock.advance(4999);
  await tick();
  clock.advance(1);
  await assert.rejects(opening, (e: unknown) => e instanceof GatewayError && e.code === 'ttft_timeout' && /within 5s/.test(e.message));
  assert.ok(s.cancelled instanceof GatewayError && s.cancelled.code === 'ttft_timeout', 'the upstream stream is cancelled with the same reason');
});

test('a stream that fails before its first token rejects with that failure; one that opens by throwing rejects too', async () => {
  const clock = new ManualClock();
  const s = new HandStream();
  const opening = openStream(clock, target, timeouts, new Cancel(), (_t, _signal, to) => to.done(s));
  await tick();
  const cut = new GatewayError({ code: 'upstream_cut', message: 'cut', status: 502, kind: 'cut' });
  s.fail(cut);
  await assert.rejects(opening, (e: unknown) => e === cut);
  assert.equal(clock.pendingTimers(), 0);

  const thrown = openStream(clock, target, timeouts, new Cancel(), () => {
    throw new Error('bad request options');
  });
  await assert.rejects(thrown, /bad request options/);
  assert.equal(clock.pendingTimers(), 0);

  const refused = new GatewayError({ code: 'upstream_unreachable', message: 'refused', status: 502, kind: 'transient' });
  const told = openStream(clock, target, timeouts, new Cancel(), (_t, _signal, to) => to.failed(refused));
  await assert.rejects(told, (e: unknown) => e === refused);
  assert.equal(clock.pendingTimers(), 0);
});

test('the request’s own abort (deadline, client gone) is the reason reported, not the socket error it causes', async () => {
  const clock = new ManualClock();
  const parent = new Cancel();
  const s = new HandStream();
  const opening = openStream(clock, target, timeouts, parent, (_t, signal, to) => {
    signal.addEventListener('abort', () => s.fail(new Error('socket hang up')));
    to.done(s);
  });
  await tick();
  const deadline = new GatewayError({ code: 'deadline_exceeded', message: 'late', status: 504, kind: 'timeout' });
  parent.abort(deadline);
  await assert.rejects(opening, (e: unknown) => e === deadline);
});

test('a stream that ends before any token resolves with what it sent (the decoder judges an empty answer)', async () => {
  const clock = new ManualClock();
  const s = new HandStream();
  s.push(roleChunk());
  s.end();
  const opened = await openStream(clock, target, timeouts, new Cancel(), (_t, _signal, to) => to.done(s));
  assert.equal(opened.head.length, 1);
  assert.equal(opened.poll()?.done, true);
});

const late = () => new GatewayError({ code: 'upstream_timeout', message: 'fake/m did not answer within 0.5s.', status: 504, kind: 'timeout' });

/** A JSON attempt that answers only when told, or fails when its signal aborts (as a real exchange does). */
function handAttempt(): { fn: (signal: SignalLike) => Promise<string>; answer(v: string): void; signal(): SignalLike } {
  let answer: (v: string) => void = () => undefined;
  let seen: SignalLike | undefined;
  return {
    fn: (signal) => {
      seen = signal;
      return new Promise<string>((resolve, reject) => {
        answer = resolve;
        signal.addEventListener('abort', () => reject(new Error('socket hang up')));
      });
    },
    answer: (v) => answer(v),
    signal: () => seen!,
  };
}

test('a JSON attempt past its time: the attempt is aborted and rejects with the timeout, not the socket error it causes', async () => {
  const clock = new ManualClock();
  const parent = new Cancel();
  const a = handAttempt();
  const attempt = withTimer(clock, 500, parent, late, a.fn);
  clock.advance(499);
  assert.equal(a.signal().aborted, false);
  clock.advance(1);
  await assert.rejects(attempt, (e: unknown) => e instanceof GatewayError && e.code === 'upstream_timeout');
  assert.equal(clock.pendingTimers(), 0);
});

test('a JSON attempt that answers in time: its timer is cleared and it stops following the request', async () => {
  const clock = new ManualClock();
  const parent = new Cancel();
  const a = handAttempt();
  const attempt = withTimer(clock, 500, parent, late, a.fn);
  a.answer('ok');
  assert.equal(await attempt, 'ok');
  assert.equal(clock.pendingTimers(), 0, 'the timer is cleared');
  parent.abort(new Error('the request ends later'));
  assert.equal(a.signal().aborted, false, 'a settled attempt no longer follows the request');
});

test('a JSON attempt when the request ends (deadline, client gone): it rejects with the request’s reason', async () => {
  const clock = new ManualClock();
  const parent = new Cancel();
  const a = handAttempt();
  const attempt = withTimer(clock, 500, parent, late, a.fn);
  const deadline = new GatewayError({ code: 'deadline_exceeded', message: 'late', status: 504, kind: 'timeout' });
  parent.abort(deadline);
  await assert.rejects(attempt, (e: unknown) => e === deadline);
  assert.equal(clock.pendingTimers(), 0);

  const thrown = withTimer(clock, 500, new Cancel(), late, () => {
    throw new Error('bad request options');
  });
  await assert.rejects(thrown, /bad request options/);
  assert.equal(clock.pendingTimers(), 0, 'an attempt that throws at once leaves no timer');
});

test('a stream that opens after its opening already failed is cancelled, and the failure stands', async () => {
  const clock = new ManualClock();
  const s = new HandStream();
  const refused = new GatewayError({ code: 'upstream_timeout', message: 'too late', status: 504, kind: 'timeout' });
  const opening = openStream(clock, target, timeouts, new Cancel(), (_t, _signal, to) => {
    to.failed(refused);
    to.done(s);
  });
  await assert.rejects(opening, (e: unknown) => e === refused);
  assert.ok(s.cancelled instanceof GatewayError && s.cancelled.code === 'request_aborted', 'nobody reads it: the upstream request is cancelled');
  assert.equal(clock.pendingTimers(), 0);
});
