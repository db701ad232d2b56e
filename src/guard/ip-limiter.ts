/**
 * Per-address limit for `auth: none` (issue #25 item 5), decided synchronously before the body is
 * read, per instance. GCRA (the generic cell rate algorithm): one number per address (its
 * theoretical arrival time), exact Retry-After, and an address whose number is in the past is
 * indistinguishable from a new one, so forgetting it loses nothing. Memory is bounded by
 * maxTracked: the least recently seen address is forgotten first (a Map keeps insertion order).
 * Unlike key limits, a burst plus the steady rate may exceed requestsPerMinute within a minute;
 * for anonymous traffic that protects the gateway, smoothness matters more than exactness.
 */
import type { IpLimitSettings } from './settings.js';

export class IpLimiter {
  private readonly tat = new Map<string, number>();
  private readonly interval: number;
  private readonly tolerance: number;

  constructor(private readonly settings: IpLimitSettings) {
    this.interval = 60_000 / settings.requestsPerMinute;
    this.tolerance = this.interval * settings.burst;
  }

  /** 0 when admitted (and counted); else ms until this address may send again. */
  take(address: string, now: number): number {
    const prev = this.tat.get(address);
    const next = Math.max(prev ?? now, now) + this.interval;
    if (next - now > this.tolerance) return Math.ceil(next - this.tolerance - now);
    if (prev !== undefined) this.tat.delete(address);
    else if (this.tat.size >= this.settings.maxTracked) this.tat.delete(this.tat.keys().next().value!);
    this.tat.set(address, next);
    return 0;
  }

  get size(): number {
    return this.tat.size;
  }
}
