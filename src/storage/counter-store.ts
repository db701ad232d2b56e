/**
 * Counts by time slot, over a sliding window (the retry budget's first attempts and extra ones:
 * DESIGN.md, "State that outlives a request"). Synchronous: the request path asks on every retry
 * decision; an adapter for shared state (Redis) counts locally and merges in the background.
 */
export interface SlotCounts {
  /** Add `n` in `slot` (an integer: time divided by the slot length). */
  add(slot: number, n: number): void;
  /** The sum over slots `from`..`to`, both included (at most the window's span). */
  sum(from: number, to: number): number;
}

export interface CounterStore {
  /** The counts of `key`, keeping the last `span` slots; the same object for the same key. */
  window(key: string, span: number): SlotCounts;
}
