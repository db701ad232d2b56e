/**
 * What the gateway tells people beyond responses: alerts (incident open,
 * update, resolve; a credential parked for quota) to the configured webhooks,
 * and vendor-declared incidents from their status feeds, shown beside our own
 * on the status page. Both run in the background and never block a request,
 * and their code is loaded only when the config asks for them.
 */
import type { Clock } from '../core/clock.js';
import type { GatewayConfig } from '../config/types.js';
import type { HealthTracker } from '../health/health-tracker.js';
import type { StatusSource } from '../health/status-source.js';
import type { Incident, StatusSnapshot } from '../health/types.js';
import type { Logger } from '../http/logger.js';
import type { AlertClaimStore } from '../storage/alert-claim-store.js';

export interface GatewayNotices {
  /** The status page's source: our snapshot plus vendor-declared incidents. */
  statusSource: StatusSource;
  /** A credential was parked because its quota is exhausted. */
  credentialParked(info: { provider: string; model: string; until: number; reason: string }): void;
  close(): Promise<void>;
}

export async function createGatewayNotices(
  config: GatewayConfig,
  deps: {
    clock: Clock;
    logger: Logger;
    tracker: HealthTracker;
    statusPage?: string;
    /** Shared with the fleet (storage: redis): one instance delivers each alert. */
    alertClaims?: AlertClaimStore;
  },
): Promise<GatewayNotices> {
  const { logger, tracker } = deps;
  const dispatcher =
    config.alerts && config.alerts.length > 0
      ? new (await import('../alerts/index.js')).AlertDispatcher({
          targets: config.alerts,
          clock: deps.clock,
          ...(deps.statusPage ? { statusUrl: deps.statusPage } : {}),
          onFailure: (r) => logger.warn({ alert: r }, 'alert delivery failed'),
          ...(deps.alertClaims ? { claims: deps.alertClaims } : {}),
          onClaimsAvailable: (available) =>
            available
              ? logger.info('alerts: the shared store answers again; one instance of the fleet delivers each alert')
              : logger.warn('alerts: the shared store is unreachable; this instance delivers its alerts alone (a receiver may get one per instance until it is back)'),
        })
      : undefined;
  const unsubscribe = dispatcher ? tracker.onEvent((e) => dispatcher.dispatch(e)) : undefined;

  const poller =
    config.vendorFeeds && config.vendorFeeds.length > 0 ? new (await import('../health/feeds/index.js')).VendorFeedPoller({ feeds: config.vendorFeeds, clock: deps.clock }) : undefined;
  poller?.onChange((s) => {
    if (s.fetchError) logger.warn({ provider: s.provider, since: new Date(s.fetchError.since).toISOString() }, `vendor status feed unavailable: ${s.fetchError.message}`);
  });
  poller?.start();

  const statusSource: StatusSource = poller
    ? {
        async statusSnapshot(now: number): Promise<StatusSnapshot> {
          const own = await tracker.statusSnapshot(now);
          return { ...own, incidents: mergeIncidents(own.incidents, poller.latest().flatMap((v) => v.incidents)) };
        },
      }
    : tracker;

  return {
    statusSource,
    credentialParked(info) {
      dispatcher?.dispatch({ type: 'credential.parked', provider: info.provider, model: info.model, until: info.until, reason: info.reason });
    },
    async close() {
      unsubscribe?.();
      poller?.stop();
      await dispatcher?.close();
    },
  };
}

/** Open incidents first, then by start, newest first; vendor incidents keep their source mark. */
function mergeIncidents(own: Incident[], vendor: Incident[]): Incident[] {
  return [...own, ...vendor].sort((a, b) => Number(a.status === 'resolved') - Number(b.status === 'resolved') || b.startedAt - a.startedAt);
}
