/**
 * Who of the fleet delivers an alert (issue #27, "incident deduplication"): every instance that
 * sees a provider's outage raises the same alert, and one of them must deliver it. Before
 * delivering, an instance claims the alert's fleet-wide key; only the claim's winner delivers.
 * A claim holds for a time to live, so a fleet that lost its winner (crash) is not silenced for
 * ever. Asynchronous and never on the request path: alerts are delivered in the background.
 */
export interface AlertClaimStore {
  /**
   * Claim `key` for `ttlMs` with `value`, unless it is held: resolves to the value holding it now,
   * which is `value` itself when this claim won (or when `value` already held it). Rejects when
   * the store cannot be asked (Redis away): the caller then acts alone.
   */
  claim(key: string, value: string, ttlMs: number): Promise<string>;
  /** End the claim on `key` early, if `value` still holds it (the next claim then wins). */
  release(key: string, value: string): Promise<void>;
}
