import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Clock, TimerHandle } from '../core/clock.js';
import { SystemLoadSampler } from './load-sampler.js';

/** A clock whose timers run when the test says, at whatever time the test says: a late timer. */
class LateClock implements Clock {
  time = 1_000_000;
  pending: { fn: (arg: unknown) => void; arg: unknown } | undefined;
  now(): number {
    return this.time;
  }
  setTimeout<A>(fn: (arg: A) => void, _ms: number, arg?: A): TimerHandle {
    this.pending = { fn: fn as (arg: unknown) => void, arg };
    return { id: 1 };
  }
  clearTimeout(): void {
    this.pending = undefined;
  }
}

it('a sample taken late counts its lateness as event-loop delay (a loop blocked all interval records nothing else)', () => {
  const clock = new LateClock();
  const s = new SystemLoadSampler(clock, 250);
  try {
    const heap = s.heapUsedRatio();
    assert.ok(heap > 0 && heap < 1, `heap ratio ${heap}`);
    // Due 250 ms after the first sample; runs 900 ms late.
    clock.time += 1_150;
    const t = clock.pending!;
    t.fn(t.arg);
    assert.ok(s.eventLoopDelayMs() >= 900 && s.eventLoopDelayMs() < 1_000, `delay ${s.eventLoopDelayMs()}`);
    // On time again: the lateness is gone.
    clock.time += 250;
    clock.pending!.fn(clock.pending!.arg);
    assert.ok(s.eventLoopDelayMs() < 100, `delay ${s.eventLoopDelayMs()}`);
  } finally {
    s.close();
  }
  assert.equal(clock.pending, undefined);
});
