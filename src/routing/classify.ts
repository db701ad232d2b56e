/**
 * What an attempt's error means for each mechanism (DESIGN.md, "Error classes
 * decide the action"). One table, so breaker, limiter and failover agree.
 */
import type { GatewayError } from '../core/errors.js';

/**
 * Client errors go back as they are: never retried, never failed over, never the provider's fault.
 * Except a request one target cannot represent (nothing was sent): the next target may take it.
 * A provider refusing the gateway's own credential (an upstream 401/403: a revoked key, a
 * misconfigured cloud credential) is not the client's to fix, and another target's credential may
 * work: it fails over, and the credential is parked (router.ts).
 */
export function stopsFailover(e: GatewayError): boolean {
  return (e.kind === 'client_error' && !e.notSent) || (e.kind === 'auth' && e.upstreamStatus === undefined) || e.code === 'request_aborted' || e.code === 'deadline_exceeded';
}

/** Does this count against the target's breaker? A 429 throttles; it does not mean broken. */
export function tripsBreaker(e: GatewayError): boolean {
  return e.kind === 'overloaded' || e.kind === 'transient' || e.kind === 'timeout' || e.kind === 'stalled' || e.kind === 'cut';
}

/** Is this a congestion signal for the adaptive limit (429/529/503/timeouts)? */
export function isDrop(e: GatewayError): boolean {
  return e.kind === 'rate_limited' || e.kind === 'overloaded' || e.kind === 'timeout' || e.kind === 'stalled' || e.upstreamStatus === 503 || e.status === 503;
}
