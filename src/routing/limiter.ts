/**
 * Adaptive concurrency per target (AIMD, as TCP congestion control and
 * Netflix's concurrency-limits): +1 to the limit per limit's worth of
 * successes, x0.5 on a drop (429/529/503/timeout), at most one cut per
 * `cooldownMs` so one burst of rejections doesn't collapse the limit to 1.
 * Failover traffic is admitted only within a target's spare capacity, so our
 * failover never becomes the next domino (2024-06-04).
 */
import type { Clock } from '../core/clock.js';

export interface LimiterOptions {
  initial: number;
  min: number;
  max: number;
  backoff: number;
  cooldownMs: number;
}

export const DEFAULT_LIMITER: LimiterOptions = { initial: 8, min: 1, max: 256, backoff: 0.5, cooldownMs: 1000 };

export class AimdLimiter {
  limit: number;
  inflight = 0;
  private lastCut = -Infinity;
  private readonly opts: LimiterOptions;

  constructor(
    private readonly clock: Clock,
    opts: Partial<LimiterOptions> = {},
  ) {
    this.opts = { ...DEFAULT_LIMITER, ...opts };
    this.limit = this.opts.initial;
  }

  /** Requests this target can take right now. */
  headroom(): number {
    return Math.max(0, Math.floor(this.limit) - this.inflight);
  }

  tryAcquire(): boolean {
    if (this.headroom() <= 0) return false;
    this.inflight++;
    return true;
  }

  /** Release a slot: 'success' grows the limit, 'drop' cuts it, 'ignore' leaves it (client errors, aborts). */
  release(outcome: 'success' | 'drop' | 'ignore'): void {
    this.inflight = Math.max(0, this.inflight - 1);
    if (outcome === 'success') {
      // Only grow when the limit is actually being used; an idle target proves nothing.
      if (this.inflight + 1 >= Math.floor(this.limit) * 0.5) this.limit = Math.min(this.opts.max, this.limit + 1 / this.limit);
    } else if (outcome === 'drop') {
      const now = this.clock.now();
      if (now - this.lastCut >= this.opts.cooldownMs) {
        this.lastCut = now;
        this.limit = Math.max(this.opts.min, this.limit * this.opts.backoff);
      }
    }
  }

  /** After recovery (breaker closed again): start small and grow (slow start). */
  slowStart(): void {
    this.limit = this.opts.min;
  }
}
