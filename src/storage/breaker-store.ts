/**
 * A circuit breaker's state per target (DESIGN.md, "State that outlives a request"): what must be
 * the same for every gateway instance in front of the same provider (a breaker opened by one is
 * respected by the others). The breaker keeps the live record and reports each transition; an
 * adapter for shared state (Redis) keeps the record a local replica and propagates transitions.
 * Failure counting stays in the breaker: each instance judges what it saw.
 */
export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerRecord {
  state: BreakerState;
  /** Epoch ms until which an open breaker refuses attempts. */
  openUntil: number;
  /** Times it opened since it last closed (open durations grow with it). */
  opens: number;
}

export interface BreakerStore {
  /** The live record for `label` (made closed on first use); the same object on every call. */
  record(label: string): BreakerRecord;
  /** The record of `label` just changed state (the breaker wrote it). */
  changed(label: string): void;
}
