/**
 * A named lease that one instance holds at a time (issue #27: "one instance at a time runs active
 * probes, by lease"). Held for a time to live and renewed by its holder before it runs out, so a
 * crashed holder's lease passes to another instance within one ttl. Asynchronous and never on
 * the request path: a holder renews on a timer and reads its own answer synchronously
 * (health/probe-lease.ts).
 */
export interface LeaseStore {
  /** Take `name` for `owner` when free, or renew it when `owner` already holds it; resolves to whether `owner` holds it now. */
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Give `name` up, if `owner` holds it (a clean shutdown hands over at once). */
  release(name: string, owner: string): Promise<void>;
}
