/** Slot counts in this process's memory: a ring of `span` slots per key. */
import type { CounterStore, SlotCounts } from '../counter-store.js';

export class MemoryCounterStore implements CounterStore {
  private readonly windows = new Map<string, SlotCounts>();

  window(key: string, span: number): SlotCounts {
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = new Ring(span)));
    return w;
  }
}

class Ring implements SlotCounts {
  private readonly at: number[];
  private readonly n: number[];

  constructor(span: number) {
    const size = Math.max(1, span);
    this.at = new Array<number>(size).fill(-1);
    this.n = new Array<number>(size).fill(0);
  }

  add(slot: number, n: number): void {
    const i = slot % this.at.length;
    if (this.at[i] !== slot) {
      this.at[i] = slot;
      this.n[i] = 0;
    }
    this.n[i]! += n;
  }

  sum(from: number, to: number): number {
    let total = 0;
    for (let i = 0; i < this.at.length; i++) {
      const at = this.at[i]!;
      if (at >= from && at <= to) total += this.n[i]!;
    }
    return total;
  }
}
