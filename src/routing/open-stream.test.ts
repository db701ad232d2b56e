/** Opening a stream: held until its first token, under the time-to-first-token timer; read after it under the idle-gap timer. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.js';
import { Cancel, type SignalLike } from '../core/cancel.js';
import { GatewayError } from '../core/errors.js';
import { tell, toPromise } from '../core/sink.js';
import type { Provider, StreamChunk, StreamWaiter, UpstreamStream } from '../providers/types.js';
import { openStream as open_, timed, type OpenedStream, type StreamOpen } from './open-stream.js';
import type { Target } from './route-table.js';

const target = { provider: { name: 'fake' } as Provider, model: 'm', label: 'fake/m' } as Target;
const timeouts = { ttftMs: 5000, answerMs: 5000, idleMs: 1000 };

const roleChunk = (): StreamChunk => ({ raw: Buffer.from('data: {"role"}\n\n'), events: [{ type: 'start', id: 'x', model: 'm', created: 0 }] });
const textChunk = (text: string): StreamChunk => ({ raw: Buffer.from(`data: ${text}\n\n`), events: [{ type: 'text', text }] });

/** A stream fed by hand: chunks pushed now are polled at once; a waiter is told when more comes. */
class HandStream implements UpstreamStream {
  readonly format = 'openai-chat' as const;
  cancelled: unknown = undefined;
  private ended = false;
  private queue: IteratorResult<StreamChunk>[] = [];
  private failure: unknown = undefined;
  private waiter: StreamWaiter | undefined;

  push(chunk: StreamChunk): void {
    this.queue.push({ done: false, value: chunk });
    this.wake();
  }
  end(): void {
    this.ended = true;
    this.wake();
  }
  fail(e: unknown): void {
    this.failure = e;
    this.wake();
  }
  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.readable();
  }
  cancel(reason?: unknown): void {
    this.cancelled = reason;
    this.fail(reason);
  }
  poll(): IteratorResult<StreamChunk> | undefined {
    const r = this.queue.shift();
    if (r) return r;
    if (this.failure !== undefined) throw this.failure;
    return this.ended ? { done: true, value: undefined } : undefined;
  }
  wait(w: StreamWaiter): void {
    this.waiter = w;
  }
}

/** openStream as a promise of the opened stream. */
const openStream = (clock: ManualClock, t: Target, to: typeof timeouts, signal: SignalLike, open: StreamOpen) =>
  toPromise<OpenedStream>((sink) => open_(clock, t, to, signal, open, sink));

/** A JSON attempt under its timer, as a promise. */
const withTimer = (clock: ManualClock, ms: number, parent: SignalLike, err: () => GatewayError, fn: (signal: SignalLike) => Promise<string>) =>
  toPromise<string>((to) => timed(clock, ms, parent, err, (signal, sink) => tell(fn(signal), sink), to));

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

test('after the first token, a gap longer than the idle limit fails the read with `stalled`, and cancels the upstream', async () => {
  const clock = new ManualClock();
  const s = new HandStream();
  s.push(textChunk('Hi'));
  const opened = await openStream(clock, target, timeouts, new Cancel(), (_t, _signal, to) => to.done(s));
  assert.equal(opened.poll(), undefined, 'nothing more yet');
  let told = 0;
  opened.wait({ readable: () => told++ });
  clock.advance(999);
  assert.equal(told, 0);
  clock.advance(1);
  assert.equal(told, 1, 'the waiter is told once');
  assert.throws(() => opened.poll(), (e: unknown) => e instanceof GatewayError && e.kind === 'stalled');
  assert.ok(s.cancelled instanceof GatewayError && s.cancelled.kind === 'stalled');

  const s2 = new HandStream();
  s2.push(textChunk('Hi'));
  const o2 = await openStream(clock, target, timeouts, new Cancel(), (_t, _signal, to) => to.done(s2));
  o2.wait({ readable: () => told++ });
  clock.advance(500);
  s2.push(textChunk(' there'));
  assert.equal(told, 2);
  assert.equal(clock.pendingTimers(), 0, 'a chunk in time clears the idle timer');
});
