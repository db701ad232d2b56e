/**
 * A clock for drills whose time passes only while the process waits: scenario time advances
 * by `speed` x the event loop's idle time (performance.eventLoopUtilization), never while it
 * works. Work — parsing, routing, garbage collection, or waiting for a CPU another process
 * holds — takes no scenario time, as if the machine were infinitely fast, while sockets stay
 * real. A scaled wall clock would multiply every such millisecond by the speed: at 660x a
 * 10 ms queue in the event loop reads as 6.6 s of latency, and a 50 ms stall as 33 s in which
 * any of the gateway's timeouts could fire. Timers live in this clock (a heap by due time)
 * and fire in due order at the ~1 ms ticker that reaches them, so their resolution is about
 * `speed` ms of scenario time. A replay therefore takes (scenario length / speed) of waiting
 * plus the work itself. Idle time counts for at most MAX_IDLE_PER_TICK_MS between two ticks:
 * a thread that waited longer than that was ready but not scheduled (another process had the
 * CPU), and that wait, like work, is not the simulated world's time.
 * Created stopped: nothing moves until start().
 */
import type { Clock, TimerHandle } from '../core/clock.js';

/** The ticker runs every ~1 ms; idle time beyond this between two ticks is the OS's, not the world's. */
const MAX_IDLE_PER_TICK_MS = 3;
/** A tick fires at most this many timers; the rest wait for the next one (no tick holds the loop for long). */
const MAX_TIMERS_PER_TICK = 5_000;
/** Microtask turns after each fired timer: enough for `await delay()` inside `await pace.next()` inside a stream writer. */
const CONTINUATION_TURNS = 8;
/** Event-loop turns a tick gives the I/O its timers caused before time moves on: one per hop (simulator, gateway, client). */
const IO_ROUNDS = 3;

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
  /** The event loop's idle ms at the last tick. */
  private lastIdle = 0;
  private running = false;
  private ticker: ReturnType<typeof setTimeout> | undefined;
  private readonly heap: Timer[] = [];
  private seq = 0;
  private startedWall = 0;
  private idleTotal = 0;

  constructor(
    readonly speed: number,
    start: number,
  ) {
    if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`speed must be a positive number (got ${speed})`);
    this.base = start;
  }

  now(): number {
    if (!this.running || this.firing) return Math.floor(this.base);
    return Math.floor(this.base + this.speed * Math.min(idle() - this.lastIdle, MAX_IDLE_PER_TICK_MS));
  }

  /** While timers fire, each sees its own due time as now (as ManualClock.advance does). */
  private firing = false;

  /** Wall ms since start() (until stop()) not counted as scenario time: the thread worked, or waited for a CPU. */
  get busyMs(): number {
    if (!this.running) return this.busyAtStop;
    return performance.now() - this.startedWall - this.idleTotal;
  }

  private busyAtStop = 0;

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
    this.lastIdle = idle();
    this.startedWall = performance.now();
    this.ticker = setTimeout(() => void this.tick(), 1);
  }

  /** Time stands still from now on; pending timers stay pending. */
  stop(): void {
    if (!this.running) return;
    this.busyAtStop = this.busyMs;
    this.base = this.now();
    this.running = false;
    clearTimeout(this.ticker);
    this.ticker = undefined;
  }

  /**
   * Advance by the idle time since the last tick and fire what is due, one timer at a time,
   * each seeing its own due time as now. Between two timers the promise chains a timer resumed
   * run, so what it sets going (an awaited delay's continuation and the delay after it) is due
   * at the right time: a stream's next word 25 ms later fires in this same tick. Then the loop
   * turns a few times before the clock moves on, so the writes those timers made reach the
   * other end (a simulator -> the gateway -> its client) at the time they were made, not at
   * the end of the tick.
   */
  private async tick(): Promise<void> {
    const now = idle();
    const counted = Math.min(now - this.lastIdle, MAX_IDLE_PER_TICK_MS);
    const target = this.base + this.speed * counted;
    this.idleTotal += counted;
    this.lastIdle = now;
    this.firing = true;
    let fired = 0;
    try {
      for (let round = 0; round < IO_ROUNDS && this.running; round++) {
        for (; fired < MAX_TIMERS_PER_TICK && this.running; fired++) {
          const t = this.heap[0];
          if (!t || t.at > target) break;
          this.pop();
          if (t.cancelled) continue;
          this.base = Math.max(this.base, t.at);
          t.fn(t.arg);
          // Let the promise chains it resumed run (an awaited delay resumes through a few async frames).
          for (let k = 0; k < CONTINUATION_TURNS; k++) await undefined;
        }
        if (fired === 0) break;
        await new Promise((r) => setImmediate(r));
      }
    } finally {
      this.firing = false;
      // Timers left due (a storm beyond MAX_TIMERS_PER_TICK) go on at the next tick, from where this one stopped.
      if (!(this.heap[0] && this.heap[0].at <= target)) this.base = Math.max(this.base, target);
    }
    if (this.running) this.ticker = setTimeout(() => void this.tick(), 1);
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

/** Cumulative idle ms of this thread's event loop. */
const idle = () => performance.eventLoopUtilization().idle;

const before = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
