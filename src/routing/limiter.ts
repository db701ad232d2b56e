/**
 * Adaptive concurrency per target (AIMD, as TCP congestion control and
 * Netflix's concurrency-limits): x0.5 on a drop (429/529/503/timeout), at most
 * one cut per `cooldownMs` so one burst of rejections doesn't collapse the
 * limit to 1. Growth, as TCP: below the slow-start threshold (the limit before
 * the last drop; unbounded until the first) a success of the target's own
 * traffic adds 1, so a healthy primary is never throttled by a cold limiter;
 * otherwise +1 per limit's worth of successes, and for failover traffic half
 * that. Until the first drop the target's own traffic is not limited at all
 * (a cold gateway never sheds a burst a healthy primary can carry). Failover traffic is thus admitted only within a target's proven
 * spare capacity, so our failover never becomes the next domino (2024-06-04).
 */
import type { Clock } from '../core/clock.js';

export interface LimiterOptions {
  initial: number;
  min: number;
  max: number;
  backoff: number;
  cooldownMs: number;
}

// max is high on purpose: a stream holds its slot for its whole length, so healthy concurrency is rate x duration.
export const DEFAULT_LIMITER: LimiterOptions = { initial: 8, min: 1, max: 10_000, backoff: 0.5, cooldownMs: 1000 };

export class AimdLimiter {
  limit: number;
  inflight = 0;
  /** Slow-start threshold: exponential growth below it (for the target's own traffic). */
  threshold: number;
  private lastCut = -Infinity;
  /** Highest in-flight count since the target was last idle: growth needs real use. */
  private peak = 0;
  private readonly opts: LimiterOptions;

  constructor(
    private readonly clock: Clock,
    opts: Partial<LimiterOptions> = {},
  ) {
    this.opts = { ...DEFAULT_LIMITER, ...opts };
    this.limit = this.opts.initial;
    this.threshold = this.opts.max;
  }

  /** Requests this target can take right now. */
  headroom(): number {
    return Math.max(0, Math.floor(this.limit) - this.inflight);
  }

  /**
   * Nothing learned yet (no drop, no recovery since start): the target's own
   * traffic is not held to a limit nobody measured; the provider's first
   * 429/529 teaches the real one. Failover traffic always waits for headroom.
   */
  private get unlearned(): boolean {
    return this.threshold >= this.opts.max;
  }

  /** Whether an attempt may start now; `primary`: the target's own traffic. */
  admits(primary = false): boolean {
    return this.headroom() > 0 || (primary && this.unlearned);
  }

  tryAcquire(primary = false): boolean {
    if (!this.admits(primary)) return false;
    this.inflight++;
    if (this.inflight > this.peak) this.peak = this.inflight;
    // The limit follows what an unlearned target really carries, so a first drop halves real concurrency.
    if (this.inflight > this.limit) this.limit = Math.min(this.opts.max, this.inflight);
    return true;
  }

  /**
   * Release a slot: 'success' grows the limit, 'drop' cuts it, 'ignore' leaves it (client errors, aborts).
   * `primary`: the attempt was this target's own traffic (first choice of its route), not failover.
   */
  release(outcome: 'success' | 'drop' | 'ignore', primary = false): void {
    this.inflight = Math.max(0, this.inflight - 1);
    const peak = this.peak;
    if (this.inflight === 0) this.peak = 0;
    if (outcome === 'success') {
      // Only grow when the limit is actually being used; a mostly idle target proves nothing.
      if (peak < Math.floor(this.limit) * 0.5) return;
      // Failover traffic probes an alternative's capacity at half the usual rate: each probe past
      // its capacity is a 429 we caused (2024-06-04), so they should be rare.
      const step = primary ? (this.limit < this.threshold ? 1 : 1 / this.limit) : 0.5 / this.limit;
      this.limit = Math.min(this.opts.max, this.limit + step);
    } else if (outcome === 'drop') {
      const now = this.clock.now();
      if (now - this.lastCut >= this.opts.cooldownMs) {
        this.lastCut = now;
        this.limit = Math.max(this.opts.min, this.limit * this.opts.backoff);
        this.threshold = this.limit;
      }
    }
  }

  /** After recovery (breaker closed again): start small and grow back quickly to half the old limit. */
  slowStart(): void {
    this.threshold = Math.max(this.opts.min, this.limit / 2);
    this.limit = this.opts.min;
  }
}
