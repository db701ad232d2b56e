/**
 * What the router tells whoever watches it (metrics, tracing): each attempt as it starts and as
 * its lease settles, each ask of the retry budget, each wait in the capacity queue. Every method
 * is called on the request path: it must be a few counter increments, never I/O, never throw.
 */
import type { Lease, Settlement } from './lease.js';
import type { Route } from './route-table.js';

/** Why an attempt went out: the route's first, the same target again, another target after a failure, a hedge, or the rest of a cut stream. */
export type AttemptKind = 'first' | 'retry' | 'failover' | 'hedge' | 'resume';

/** A request's trace context as the router carries it: each attempt may open its span under it. */
export interface RequestTrace {
  /** An attempt starts on the lease's target: its span (or undefined when not sampled). */
  attempt(lease: Lease): AttemptSpan | undefined;
}

export interface AttemptSpan {
  /** The W3C traceparent an upstream call carries: this span as its parent. */
  readonly traceparent: string;
  end(result: Settlement): void;
}

export interface RouterObserver {
  /** An attempt's lease settled, once (outcome, duration, tokens when the answer reported them). */
  attempt(lease: Lease, result: Settlement, endedAt: number): void;
  /** A retry, failover, hedge or continuation asked the budget. */
  budget(route: Route, granted: boolean): void;
  /** A request began waiting for a free slot. */
  queued(priority: string | undefined): void;
}
