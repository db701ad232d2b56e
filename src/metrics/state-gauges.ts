/**
 * Gauges read when Prometheus scrapes, from sources the composition root hands the Metrics:
 * states, not events, so nothing on the request path pushes them and a scrape always sees now.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export type BreakerStateName = 'closed' | 'open' | 'half_open';
const BREAKER_STATES: readonly BreakerStateName[] = ['closed', 'open', 'half_open'];

export interface TargetSnapshot {
  /** `provider/model`, as in the logs and the status page. */
  target: string;
  breaker: BreakerStateName;
  /** The adaptive concurrency limit now, and the attempts in flight. */
  limit: number;
  inFlight: number;
}

export interface MetricsSources {
  targets?: () => readonly TargetSnapshot[];
  /** The journal's writer (Journal.stats()). */
  journal?: () => { queued: number; dropped: number; failed: number; unconfirmed?: number };
  /** Shared state (storage: state and limit stores). */
  storage?: () => { redisDegraded: boolean; liveInstances?: number; droppedSettlements?: number; failedWrites?: number };
}

/** Registers the scrape-time series; `sources` may gain members later (the gateway builds in stages). */
export function registerStateGauges(registers: Registry[], sources: MetricsSources): void {
  new Gauge({
    name: 'switchyard_breaker_state',
    help: 'Circuit breaker state per target: 1 for the state it is in, 0 for the others.',
    labelNames: ['target', 'state'],
    registers,
    collect() {
      this.reset();
      for (const t of sources.targets?.() ?? []) for (const s of BREAKER_STATES) this.set({ target: t.target, state: s }, t.breaker === s ? 1 : 0);
    },
  });
  new Gauge({
    name: 'switchyard_limiter_limit',
    help: 'Adaptive concurrency limit per target (AIMD).',
    labelNames: ['target'],
    registers,
    collect() {
      this.reset();
      for (const t of sources.targets?.() ?? []) this.set({ target: t.target }, t.limit);
    },
  });
  new Gauge({
    name: 'switchyard_limiter_in_flight',
    help: 'Upstream attempts in flight per target.',
    labelNames: ['target'],
    registers,
    collect() {
      this.reset();
      for (const t of sources.targets?.() ?? []) this.set({ target: t.target }, t.inFlight);
    },
  });
  new Gauge({
    name: 'switchyard_journal_queue_depth',
    help: 'Exchanges waiting to be written to the journal.',
    registers,
    collect() {
      this.set(sources.journal?.().queued ?? 0);
    },
  });
  sourcedCounter(registers, 'switchyard_journal_dropped_total', 'Exchanges the journal dropped (queue full, or still queued at shutdown).', () => sources.journal?.().dropped ?? 0);
  sourcedCounter(registers, 'switchyard_journal_unconfirmed_total', 'Answers that ended before their exchange was written (slow or failing journal store); the exchanges stayed queued.', () => sources.journal?.().unconfirmed ?? 0);
  sourcedCounter(registers, 'switchyard_journal_failed_total', 'Exchanges that could not be made into a journal record.', () => sources.journal?.().failed ?? 0);
  new Gauge({
    name: 'switchyard_redis_degraded',
    help: '1 while Redis is unreachable and limits are enforced per instance (limit / live instances).',
    registers,
    collect() {
      this.set(sources.storage?.().redisDegraded ? 1 : 0);
    },
  });
  new Gauge({
    name: 'switchyard_live_instances',
    help: 'Gateway instances seen by the Redis heartbeat (the divisor of the degraded share).',
    registers,
    collect() {
      this.set(sources.storage?.().liveInstances ?? 1);
    },
  });
  sourcedCounter(registers, 'switchyard_limit_settlements_dropped_total', 'Limit settlements Redis could not take (their leases ended by themselves).', () => sources.storage?.().droppedSettlements ?? 0);
  sourcedCounter(registers, 'switchyard_shared_state_failed_writes_total', 'Shared-state writes and merges that failed while Redis was away.', () => sources.storage?.().failedWrites ?? 0);
}

/** A counter whose value another object keeps: set at each scrape. */
function sourcedCounter(registers: Registry[], name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers,
    collect() {
      this.reset();
      const v = read();
      if (v > 0) this.inc(v);
    },
  });
}
