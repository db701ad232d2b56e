/** Breaker records in this process's memory (one gateway's; the default without shared state). */
import type { BreakerRecord, BreakerStore } from '../breaker-store.js';

export class MemoryBreakerStore implements BreakerStore {
  private readonly records = new Map<string, BreakerRecord>();

  record(label: string): BreakerRecord {
    let r = this.records.get(label);
    if (!r) this.records.set(label, (r = { state: 'closed', openUntil: 0, opens: 0 }));
    return r;
  }

  changed(_label: string): void {
    // The record is the state: nothing to propagate within one process.
  }
}
