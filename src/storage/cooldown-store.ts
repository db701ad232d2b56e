/**
 * Parked targets and credentials (DESIGN.md, "State that outlives a request"): a rate-limited
 * target waits exactly as long as the provider said (Retry-After & co.); a credential out of quota
 * is parked until its reset. Reads are synchronous (the request path asks on every routing
 * decision): an adapter for shared state (Redis) keeps a local replica and propagates parkings.
 */
export interface Parking {
  /** Epoch ms. */
  until: number;
  reason: string;
}

export interface CooldownStore {
  /** Park `key` until `until`; a longer parking already in force stays. Returns the one in force. */
  park(key: string, until: number, reason: string): Parking;
  /** The parking in force for `key` at `now`, if any (expired ones are forgotten). */
  get(key: string, now: number): Parking | undefined;
  /** Nothing is parked (the usual case: callers skip building keys). */
  readonly empty: boolean;
}
