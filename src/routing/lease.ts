/**
 * One attempt's hold on a target: taken when the attempt starts (a limiter slot, a breaker probe
 * if half-open), settled exactly once when the attempt — or the stream it opened — ends, with what
 * it teaches the limiter, the breaker, the cooldowns and health.
 */
import type { GatewayError } from '../core/errors.js';
import type { Usage } from '../core/response.js';
import type { RoutePolicy } from './policy.js';
import type { Target } from './route-table.js';
import type { TargetState } from './target-state.js';
import type { AttemptKind, AttemptSpan } from './router-observer.js';

/** `usage`: what the answer reported, when the gateway read it (per-attempt token metrics). */
export type Settlement = { ok: true; ttftMs?: number; usage?: Usage } | { ok: false; error: GatewayError } | { ok: 'neutral' };

/** A failed attempt's settlement: the client going away says nothing about the target. */
export function failure(error: GatewayError): Settlement {
  return error.code === 'request_aborted' ? { ok: 'neutral' } : { ok: false, error };
}

export interface Lease {
  readonly target: Target;
  readonly probe: boolean;
  readonly startedAt: number;
  readonly kind: AttemptKind;
  readonly stream: boolean;
  /** The attempt's trace span, when the request is traced: upstream calls carry its traceparent. */
  readonly span: AttemptSpan | undefined;
  settle(result: Settlement): void;
}

/** Where a lease's outcome goes (the router). */
export interface LeaseSettler {
  settle(lease: TargetLease, result: Settlement): void;
}

/** A lease as the router hands it out. */
export class TargetLease implements Lease {
  private settled = false;
  span: AttemptSpan | undefined = undefined;

  constructor(
    private readonly settler: LeaseSettler,
    readonly target: Target,
    readonly policy: RoutePolicy,
    readonly state: TargetState,
    readonly probe: boolean,
    readonly startedAt: number,
    readonly stream: boolean,
    /** The attempt is the target's own traffic (first choice of its route), not failover. */
    readonly primary: boolean,
    readonly kind: AttemptKind,
  ) {}

  settle(result: Settlement): void {
    if (this.settled) return;
    this.settled = true;
    this.settler.settle(this, result);
  }
}
