/** Alert claims in this process's memory: one gateway alone wins every claim it does not already hold. */
import type { Clock } from '../../core/clock.js';
import type { AlertClaimStore } from '../alert-claim-store.js';

/** Bound on remembered claims, so an alert storm cannot grow memory without limit. */
const MAX_CLAIMS = 10_000;

export class MemoryAlertClaimStore implements AlertClaimStore {
  private readonly claims = new Map<string, { value: string; until: number }>();

  constructor(private readonly clock: Clock) {}

  async claim(key: string, value: string, ttlMs: number): Promise<string> {
    const now = this.clock.now();
    const held = this.claims.get(key);
    if (held && held.until > now) return held.value;
    this.claims.delete(key);
    this.claims.set(key, { value, until: now + Math.max(1, ttlMs) });
    this.prune(now);
    return value;
  }

  async release(key: string, value: string): Promise<void> {
    if (this.claims.get(key)?.value === value) this.claims.delete(key);
  }

  private prune(now: number): void {
    if (this.claims.size <= MAX_CLAIMS) return;
    for (const [k, c] of this.claims) if (c.until <= now || this.claims.size > MAX_CLAIMS) this.claims.delete(k);
  }
}
