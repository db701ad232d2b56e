/**
 * A scaled clock for drills that does not count the process's stalls as time. Scenario time
 * runs `speed` times faster than the wall clock, like scaledClock, but it is advanced by a
 * 1 ms ticker, by at most `maxGapMs` of wall time per tick: when the event loop is held up
 * (garbage collection, a burst of work, another process taking the CPU), the simulated world
 * pauses with it instead of jumping ahead by speed x the stall — at 660x a 50 ms stall would
 * otherwise be 33 s in which every timeout of the gateway could fire. Timers live in this
 * clock (a heap by due time) and fire in due order at the tick that reaches them, so their
 * resolution is one tick (about 1 ms of wall time, `speed` ms of scenario time).
 * Created stopped: time stands still until start(), so setting a drill up costs no scenario time.
 */
import type { Clock, TimerHandle } from '../core/clock.js';

interface Timer {
  at: number;
  seq: number;
  fn: (arg: unknown) => void;
  arg: unknown;
  cancelled: boolean;
}

export class PacedClock implements Clock {
  /** Scenario time at the last tick. */
  private base: number;
  private lastWall = 0;
  private running = false;
  private ticker: ReturnType<typeof setTimeout> | undefined;
  private readonly heap: Timer[] = [];
  private seq = 0;
  /** Wall ms not counted as time (stalls beyond maxGapMs per tick). */
  stalledMs = 0;

  constructor(
    readonly speed: number,
    start: number,
    private readonly maxGapMs = 5,
  ) {
    if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`speed must be a positive number (got ${speed})`);
    this.base = start;
  }

  now(): number {
    if (!this.running) return this.base;
    return Math.floor(this.base + this.speed * Math.min(performance.now() - this.lastWall, this.maxGapMs));
  }

  setTimeout<A = undefined>(fn: (arg: A) => void, ms: number, arg?: A): TimerHandle {
    const t: Timer = { at: this.now() + Math.max(0, ms), seq: this.seq++, fn: fn as (arg: unknown) => void, arg, cancelled: false };
    this.push(t);
    return t as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    (handle as unknown as Timer).cancelled = true;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.lastWall = performance.now();
    this.ticker = setTimeout(() => this.tick(), 1);
  }

  /** Time stands still from now on; pending timers stay pending. */
  stop(): void {
    if (!this.running) return;
    this.base = this.now();
    this.running = false;
    clearTimeout(this.ticker);
    this.ticker = undefined;
  }

  private tick(): void {
    const wall = performance.now();
    const elapsed = wall - this.lastWall;
    if (elapsed > this.maxGapMs) this.stalledMs += elapsed - this.maxGapMs;
    this.base += this.speed * Math.min(elapsed, this.maxGapMs);
    this.lastWall = wall;
    // Timers set by the ones firing here fire too when already due (as ManualClock.advance).
    for (let n = 0; n < 100_000 && this.heap.length > 0 && this.heap[0]!.at <= this.base; n++) {
      const t = this.pop();
      if (!t.cancelled) t.fn(t.arg);
    }
    if (this.running) this.ticker = setTimeout(() => this.tick(), 1);
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Timer {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

const before = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
