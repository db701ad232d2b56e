/** One instance alone: every lease is its own (it has nobody to share the probing with). */
import type { LeaseStore } from '../lease-store.js';

export class MemoryLeaseStore implements LeaseStore {
  async acquire(_name: string, _owner: string, _ttlMs: number): Promise<boolean> {
    return true;
  }

  async release(_name: string, _owner: string): Promise<void> {}
}
