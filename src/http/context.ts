/** What every handler needs: what the gateway built (src/gateway), seen from the HTTP side. */
import type { IncomingMessage } from 'node:http';
import type { OutcomeSink } from '../core/attempt-outcome.js';
import type { GatewayError } from '../core/errors.js';
import type { Admission } from '../guard/request-admission.js';
import type { Guard } from '../guard/guard.js';
import type { Journal } from '../journal/journal.js';
import type { PlaygroundDeps } from './playground-handler.js';
import type { GatewayConfig } from '../config/types.js';
import type { StatusSource } from '../health/status-source.js';
import type { HealthTracker } from '../health/health-tracker.js';
import type { Clock } from '../core/clock.js';
import type { RouteTable } from '../routing/route-table.js';
import type { Router } from '../routing/router.js';
import type { StorageStatus } from '../storage/storage-status.js';
import type { Logger } from './logger.js';
import type { Redactor } from './redact.js';
import type { Metrics } from '../metrics/metrics.js';
import type { RequestSpan, Tracer } from '../telemetry/tracer.js';
import type { Target } from '../routing/route-table.js';

export interface GatewayContext {
  config: GatewayConfig;
  routes: RouteTable;
  /** Target selection, retries, breakers, limits: the only layer that retries. */
  router: Router;
  clock: Clock;
  logger: Logger;
  redactor: Redactor;
  /** Passive health signal: one record per upstream attempt. */
  outcomes: OutcomeSink;
  /** Where clients can read provider status, for friendly errors. */
  statusPage?: string;
  /** Health snapshots for GET /status; absent until health tracking is wired, then the page shows "no data yet". */
  statusSource?: StatusSource;
  /** Health tracking (incident events for alerts, component states); also the outcomes sink and status source. */
  health?: HealthTracker;
  /** Steps every request passes before its handler (authentication, limits, the journal plug in here). */
  stage: readonly RequestStep[];
  /** Keys, limits and shedding (issue #25); its admin API is served under /admin/keys. */
  guard?: Guard;
  /** The conversation journal (issue #26), when enabled. */
  journal?: Journal;
  /** Where shared state lives and whether limits are degraded to a per-instance share (GET /healthz). */
  storage?: () => StorageStatus;
  /** The playground page (the demo; `server.playground: true`). */
  playground?: PlaygroundDeps;
  /** This gateway's Prometheus metrics (GET /metrics), unless `metrics.enabled: false`. */
  metrics?: Metrics;
  /** OpenTelemetry spans, when `telemetry:` is configured. */
  tracer?: Tracer;
  /** Set when the gateway is stopping: /readyz answers 503 so load balancers move away first. */
  drain?: { draining: boolean };
}

/**
 * One step of the request stage, run for every routed request before its body is read: it may
 * note what it learned on the scope, or refuse with an error (answered in the route's own format,
 * with the refusal's headers).
 */
export interface RequestStep {
  admit(req: IncomingMessage, scope: RequestScope): StageRefusal | undefined;
}

export interface StageRefusal {
  readonly error: GatewayError;
  readonly headers?: Record<string, string>;
}

/** One client request as the server sees it: its id, and what to do if the client goes away. */
export interface RequestScope {
  readonly id: string;
  /** The request's path (no query). */
  readonly path: string;
  /**
   * Aborted (with a request_aborted error) when the response closes before it was
   * finished: the client went away. Set by the handler.
   */
  cancel?: { abort(reason: unknown): void };
  /** For the access line: the provider that answered and the upstream attempts made, once known. */
  provider?: string;
  attempts?: number;
  /** Why the gateway cut the response short (the access line's `reason`): `write_timeout`, `deadline` (a client that stopped reading). */
  reason?: string;
  /** What the guard admitted (who, which priority, its slot in flight); released when the response closes. */
  admission?: Admission;
  /** The admin key came with a request for the journal's conversations: every key's are visible. */
  admin?: boolean;
  /** For metrics and traces: the alias asked for, the target that answered, the error the client got. */
  alias?: string;
  answeredBy?: Target;
  error?: GatewayError;
  /** The request's span, when tracing is on. */
  trace?: RequestSpan;
  /** The first token is going out to the client now. */
  firstToken(): void;
}
