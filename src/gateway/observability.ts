/**
 * How a gateway is watched (issue #27 items 4, 5): its Metrics (GET /metrics, on unless
 * `metrics.enabled: false`), its Tracer and metric export (only when `telemetry:` or
 * OTEL_EXPORTER_OTLP_ENDPOINT names a collector), and the router observer that feeds the metrics from every attempt. What is a
 * state (breakers, limits, journal queue) is read at scrape from the pieces the gateway built.
 */
import type { Clock } from '../core/clock.js';
import type { GatewayConfig } from '../config/types.js';
import { ConfigError } from '../config/config-error.js';
import type { Guard } from '../guard/guard.js';
import type { Logger } from '../http/logger.js';
import type { Journal } from '../journal/journal.js';
import { Metrics, type TargetSnapshot } from '../metrics/metrics.js';
import type { Lease, Settlement } from '../routing/lease.js';
import type { RouteTable } from '../routing/route-table.js';
import type { Router } from '../routing/router.js';
import type { RouterObserver } from '../routing/router-observer.js';
import type { Route } from '../routing/route-table.js';
import { OtlpExporter } from '../telemetry/otlp-exporter.js';
import { OtlpMetricExporter } from '../telemetry/otlp-metrics.js';
import { Tracer } from '../telemetry/tracer.js';
import type { StorageStatus } from '../storage/storage-status.js';
import type { Lifecycle } from './lifecycle.js';

export interface Observability {
  metrics?: Metrics;
  tracer?: Tracer;
  /** For the router: undefined when metrics are off (the router then calls nothing). */
  observer?: RouterObserver;
}

export function buildObservability(config: GatewayConfig, clock: Clock, logger: Logger, life: Lifecycle): Observability {
  const out: Observability = {};
  if (config.metrics?.enabled !== false) {
    const metrics = new Metrics();
    out.metrics = metrics;
    out.observer = new MetricsObserver(metrics);
  }
  const t = config.telemetry;
  if (t) {
    const exporter = new OtlpExporter({ endpoint: t.otlpEndpoint, serviceName: t.serviceName, clock, onError: (err) => logger.warn({ err: String(err) }, 'telemetry: exporting spans failed; spans are dropped until the collector answers') });
    // Closed late (added early): spans of requests that drain are still sent.
    life.add('telemetry export', () => exporter.close());
    out.tracer = new Tracer(exporter, () => clock.now());
    if (out.metrics && t.metricsIntervalMs > 0) {
      const metricExporter = new OtlpMetricExporter({
        endpoint: t.otlpEndpoint,
        serviceName: t.serviceName,
        registry: out.metrics.registry,
        clock,
        intervalMs: t.metricsIntervalMs,
        onError: (err) => logger.warn({ err: String(err) }, 'telemetry: exporting metrics failed; retried at the next interval'),
      });
      // Closed late too: the final values include the requests that drained.
      life.add('metrics export', () => metricExporter.close());
    }
  }
  return out;
}

/** `metrics.require_admin_key` without an admin key would refuse every scrape: said at start. */
export function checkMetricsAccess(config: GatewayConfig, guard: Guard): void {
  if (config.metrics?.enabled !== false && config.metrics?.requireAdminKey && guard.settings.adminKey === undefined) {
    throw new ConfigError(config.source, [{ path: 'metrics.require_admin_key', message: 'needs an admin key to check: set guard.admin_key (or SWITCHYARD_ADMIN_KEY), or set require_admin_key: false' }]);
  }
}

/** The scrape-time sources: every target's breaker and limiter, the journal's queue, the shared state's health. */
export function watchState(metrics: Metrics, parts: { router: Router; routes: RouteTable; journal?: Journal; guard: Guard; storage: () => StorageStatus }): void {
  const { router, routes, journal, guard, storage } = parts;
  metrics.sources.targets = () => {
    const out: TargetSnapshot[] = [];
    const seen = new Set<string>();
    for (const r of routes.all()) {
      for (const t of r.targets) {
        if (seen.has(t.label)) continue;
        seen.add(t.label);
        const s = router.target(t, r.policy);
        out.push({ target: t.label, breaker: s.breaker.state, limit: Math.floor(s.limiter.limit), inFlight: s.limiter.inflight });
      }
    }
    return out;
  };
  if (journal) metrics.sources.journal = () => journal.stats();
  metrics.sources.storage = () => {
    const s = storage();
    return { redisDegraded: s.degraded, droppedSettlements: s.droppedSettlements, failedWrites: s.failedWrites, ...(s.instances === undefined ? {} : { liveInstances: s.instances }) };
  };
  guard.onShed = (cls) => metrics.shed(cls);
}

/** The router's attempts, budget asks and queue waits, into the metrics. */
class MetricsObserver implements RouterObserver {
  constructor(private readonly metrics: Metrics) {}

  attempt(lease: Lease, result: Settlement, endedAt: number): void {
    const t = lease.target;
    const usage = result.ok === true ? result.usage : undefined;
    this.metrics.attempt({
      provider: t.provider.name,
      providerType: t.provider.type,
      model: t.model,
      kind: lease.kind,
      // Neutral: the client went away or a hedge lost; not the target's doing.
      outcome: result.ok === true ? 'ok' : result.ok === 'neutral' ? 'cancelled' : result.error.kind,
      durationMs: endedAt - lease.startedAt,
      ...(usage ? { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens } : {}),
    });
  }

  budget(route: Route, granted: boolean): void {
    this.metrics.retryBudget(route.alias, granted);
  }

  queued(priority: string | undefined): void {
    this.metrics.queued(priority ?? 'default');
  }
}
