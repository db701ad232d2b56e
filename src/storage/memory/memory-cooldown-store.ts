/** Parkings in this process's memory (one gateway's; the default without shared state). */
import type { CooldownStore, Parking } from '../cooldown-store.js';

export class MemoryCooldownStore implements CooldownStore {
  private readonly parked = new Map<string, Parking>();

  get empty(): boolean {
    return this.parked.size === 0;
  }

  park(key: string, until: number, reason: string): Parking {
    const prev = this.parked.get(key);
    const p = prev && prev.until > until ? prev : { until, reason };
    this.parked.set(key, p);
    return p;
  }

  get(key: string, now: number): Parking | undefined {
    if (this.parked.size === 0) return undefined;
    const p = this.parked.get(key);
    if (!p) return undefined;
    if (p.until <= now) {
      this.parked.delete(key);
      return undefined;
    }
    return p;
  }
}
