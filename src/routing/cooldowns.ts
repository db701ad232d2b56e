/**
 * Parked targets and credentials: a rate-limited target waits exactly as long
 * as the provider said (Retry-After & co.); a credential out of quota is parked
 * until its reset, never retried meanwhile.
 */
import type { Clock } from '../core/clock.js';

export interface Parking {
  until: number;
  reason: string;
}

export class Cooldowns {
  private readonly parked = new Map<string, Parking>();

  constructor(private readonly clock: Clock) {}

  /** Nothing is parked (the usual case: callers skip building keys). */
  get empty(): boolean {
    return this.parked.size === 0;
  }

  park(key: string, forMs: number, reason: string): Parking {
    const until = this.clock.now() + Math.max(0, forMs);
    const prev = this.parked.get(key);
    const p = prev && prev.until > until ? prev : { until, reason };
    this.parked.set(key, p);
    return p;
  }

  /** The parking in force for `key`, if any. */
  get(key: string): Parking | undefined {
    if (this.parked.size === 0) return undefined;
    const p = this.parked.get(key);
    if (!p) return undefined;
    if (p.until <= this.clock.now()) {
      this.parked.delete(key);
      return undefined;
    }
    return p;
  }
}
