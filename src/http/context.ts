/** What every handler needs, assembled once by createGateway. */
import type { OutcomeSink } from '../core/attempt-outcome.js';
import type { GatewayConfig } from '../config/types.js';
import type { StatusSource } from '../health/status-source.js';
import type { HealthTracker } from '../health/health-tracker.js';
import type { Clock } from '../core/clock.js';
import type { RouteTable } from '../routing/route-table.js';
import type { Router } from '../routing/router.js';
import type { Logger } from './logger.js';
import type { Redactor } from './redact.js';

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
}

/** One client request as the server sees it: its id, and what to do if the client goes away. */
export interface RequestScope {
  readonly id: string;
  /**
   * Aborted (with a request_aborted error) when the response closes before it was
   * finished: the client went away. Set by the handler; an object, not a closure, so
   * the request's state isn't captured for longer than it lives.
   */
  cancel?: { abort(reason: unknown): void };
  /** For the access line: the provider that answered and the upstream attempts made, once known. */
  provider?: string;
  attempts?: number;
}
