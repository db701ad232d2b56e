/**
 * Builds health tracking for a gateway: the store (SQLite in a data
 * directory, or memory), the HealthTracker fed by every upstream attempt, and
 * optional active probes. The gateway builds this once; close() flushes.
 */
import { resolve } from 'node:path';
import type { AttemptOutcome, OutcomeSink } from '../core/attempt-outcome.js';
import type { Clock } from '../core/clock.js';
import type { GatewayConfig } from '../config/types.js';
import { HealthTracker } from '../health/health-tracker.js';
import { ProbeScheduler } from '../health/probe-scheduler.js';
import { providerProbe } from './provider-probe.js';
import type { HealthStore, HealthStoreOptions } from '../storage/health-store.js';
import { openHealthStore } from '../storage/open-health-store.js';
import type { Provider } from '../providers/types.js';
import type { Logger } from '../http/logger.js';

/** Where `serve` keeps health data when the config names no status.data_dir. */
export const DEFAULT_DATA_DIR = '.switchyard-data';

export interface GatewayHealthOptions {
  /** A ready store (tests), or 'memory'. Default: PostgreSQL when status.store says so, else SQLite in status.data_dir, else in `dataDir`, else memory. */
  store?: HealthStore | 'memory';
  /** Data directory used when the config names none (serve passes DEFAULT_DATA_DIR). */
  dataDir?: string;
}

export interface GatewayHealth {
  tracker: HealthTracker;
  store: HealthStore;
  probes?: ProbeScheduler;
  close(): Promise<void>;
}

export async function createGatewayHealth(
  config: GatewayConfig,
  deps: {
    clock: Clock;
    logger: Logger;
    providers: ReadonlyMap<string, Provider>;
    isParked?: (provider: string, model: string) => boolean;
    /** Several instances: only the lease's holder probes (shared-state.ts). */
    probeLease?: { readonly held: boolean };
  },
  opts: GatewayHealthOptions = {},
): Promise<GatewayHealth> {
  const dir = config.status?.dataDir ?? opts.dataDir;
  const ownStore = typeof opts.store !== 'object';
  const store = typeof opts.store === 'object' ? opts.store : await openHealthStore(storeOptions(config, opts, dir));
  const components = config.models.flatMap((m) => m.targets.map((t) => ({ provider: t.provider, model: t.model })));
  const tracker = new HealthTracker({
    store,
    clock: deps.clock,
    components,
    ...(config.status ? { retentionDays: config.status.retentionDays } : {}),
    onError: (err, what) => deps.logger.warn({ err }, `health: ${what} failed`),
  });
  await tracker.start();

  let probes: ProbeScheduler | undefined;
  const probeCfg = config.status?.probes;
  if (probeCfg?.enabled) {
    probes = new ProbeScheduler({
      clock: deps.clock,
      sink: tracker,
      probe: providerProbe(deps.providers),
      targets: () => tracker.componentList(),
      intervalMs: probeCfg.intervalMs,
      lastTrafficAt: (id) => tracker.stateOf(id)?.lastTrafficAt ?? -Infinity,
      ...(deps.probeLease ? { lease: deps.probeLease } : {}),
      ...(deps.isParked ? { isParked: (t: { provider: string; model: string }) => deps.isParked!(t.provider, t.model) } : {}),
      onError: (err) => deps.logger.warn({ err }, 'health: probe failed unexpectedly'),
    });
    probes.start();
  }
  return {
    tracker,
    store,
    ...(probes ? { probes } : {}),
    async close() {
      probes?.stop();
      await tracker.close();
      if (ownStore) await store.close();
    },
  };
}

/** `status.store: postgres` (the fleet's shared history), else SQLite in the data directory, else memory. */
function storeOptions(config: GatewayConfig, opts: GatewayHealthOptions, dir: string | undefined): HealthStoreOptions {
  if (opts.store === 'memory') return { kind: 'memory' };
  if (config.status?.store === 'postgres' && config.status.postgresUrl !== undefined) return { kind: 'postgres', url: config.status.postgresUrl };
  return dir !== undefined ? { kind: 'sqlite', dir: resolve(dir) } : { kind: 'memory' };
}

/** Both sinks get every outcome (a caller-supplied sink in tests, plus health tracking). */
export function teeOutcomes(a: OutcomeSink, b: OutcomeSink): OutcomeSink {
  return {
    record(o: AttemptOutcome) {
      a.record(o);
      b.record(o);
    },
  };
}
