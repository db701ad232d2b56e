/**
 * The composition root (DESIGN.md): one Gateway builds and owns every piece of a running
 * instance's state — its clock's timers, upstream connection pools and buffers, providers,
 * routes, router state, health, notices and HTTP server — and closes them in order. Nothing is
 * shared with another Gateway in the same process (a drill, a test, a worker).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OutcomeSink } from '../core/attempt-outcome.js';
import { createSystemClock, type Clock } from '../core/clock.js';
import type { GatewayConfig } from '../config/types.js';
import type { GatewayContext, RequestStep } from '../http/context.js';
import { createLogger, stdoutSink, type Logger } from '../http/logger.js';
import { Redactor } from '../http/redact.js';
import { createHttpServer } from '../http/server.js';
import { BufferPool } from '../providers/kept-bytes.js';
import { createProvider } from '../providers/registry.js';
import { providerSecrets } from '../providers/provider-secrets.js';
import type { Provider } from '../providers/types.js';
import { UpstreamPools } from '../providers/upstream-pool.js';
import { RouteTable, type Route } from '../routing/route-table.js';
import { Router } from '../routing/router.js';
import { RouterState, type RouterStores } from '../routing/router-state.js';
import { resolvedStorageSecrets } from '../config/storage-schema.js';
import type { LimitStore } from '../storage/limit-store.js';
import { openSharedState } from './shared-state.js';
import { createGatewayHealth, DEFAULT_DATA_DIR, teeOutcomes, type GatewayHealthOptions } from './health.js';
import { resolve } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import { guardSettingsFor } from '../config/guard-schema.js';
import { checkExposure } from '../guard/exposure.js';
import type { Guard } from '../guard/guard.js';
import type { LoadSampler } from '../guard/load-sampler.js';
import { openGuard } from '../guard/open-guard.js';
import { Journal } from '../journal/journal.js';
import type { PlaygroundDeps } from '../http/playground-handler.js';
import { GuardStep } from '../http/guard-step.js';
import { Lifecycle } from './lifecycle.js';
import { createGatewayNotices } from './notices.js';
import { buildObservability, checkMetricsAccess, watchState } from './observability.js';

export interface GatewayOptions {
  logger?: Logger;
  /** Time source for every deadline, timer and breaker (tests inject a ManualClock). Default: a system clock of the gateway's own. */
  clock?: Clock;
  random?: () => number;
  /** Receives every upstream attempt's outcome, in addition to health tracking. */
  outcomes?: OutcomeSink;
  /** Health store choice (default: SQLite in status.data_dir or `dataDir`, else memory). */
  health?: GatewayHealthOptions;
  /** Where the router's state lives (default: `storage:` of the config, i.e. this gateway's memory or Redis). */
  routerStores?: RouterStores;
  /** Steps every request passes after the guard's, in order (tests, the journal). */
  stage?: RequestStep[];
  /** The environment the guard's settings read when the config has none (SWITCHYARD_ADMIN_KEY); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The guard's load sampler (tests: a fixed load). */
  loadSampler?: LoadSampler;
  /**
   * Serve the playground at /playground (the demo, with the simulators its buttons break).
   * Without it, `server.playground: true` serves the page with no buttons.
   */
  playground?: PlaygroundDeps;
}

export class Gateway {
  private constructor(
    readonly context: GatewayContext,
    readonly server: Server,
    /** This gateway's upstream connections (closed with it, and only with it). */
    readonly pools: UpstreamPools,
    private readonly lifecycle: Lifecycle,
  ) {}

  static async create(config: GatewayConfig, opts: GatewayOptions = {}): Promise<Gateway> {
    const life = new Lifecycle();
    try {
      return await Gateway.build(config, opts, life);
    } catch (e) {
      // What was built before the failure is closed, not leaked.
      await life.close().catch(() => undefined);
      throw e;
    }
  }

  private static async build(config: GatewayConfig, opts: GatewayOptions, life: Lifecycle): Promise<Gateway> {
    const clock = opts.clock ?? createSystemClock();
    let logger = opts.logger;
    if (!logger) {
      const out = stdoutSink();
      life.add('log', () => out.close());
      logger = createLogger(undefined, out);
    }
    const random = opts.random ?? Math.random;
    const pools = new UpstreamPools();
    life.add('upstream connections', () => pools.close());
    const deps = { pools, buffers: new BufferPool(), clock };
    const providers = new Map<string, Provider>(config.providers.map((p) => [p.name, createProvider(p, deps)]));
    const routes = new RouteTable(config.models.map((m) => routeOf(m, providers)));
    const redactor = new Redactor([...config.providers.flatMap(providerSecrets), ...resolvedStorageSecrets(config)]);
    const shared = await openSharedState(config, { clock, logger, redactor }, life);
    const state = new RouterState(clock, opts.routerStores ?? shared.routerStores, random, routes.all());
    const watch = buildObservability(config, clock, logger, life);

    // Probes never use a parked credential or target.
    const cooldowns = state.cooldowns;
    const isParked = (p: string, m: string) => cooldowns.get(`credential:${p}`, clock.now()) !== undefined || cooldowns.get(`${p}/${m}`, clock.now()) !== undefined;
    const health = await createGatewayHealth(config, { clock, logger, providers, isParked, ...(shared.probeLease ? { probeLease: shared.probeLease } : {}) }, opts.health);
    life.add('health tracking', () => health.close());
    const outcomes = opts.outcomes ? teeOutcomes(opts.outcomes, health.tracker) : health.tracker;
    const statusPage = config.server.publicUrl ? `${config.server.publicUrl}/status` : undefined;
    const notices = await createGatewayNotices(config, { clock, logger, tracker: health.tracker, alertClaims: shared.alertClaims, ...(statusPage ? { statusPage } : {}) });
    life.add('alerts and vendor feeds', () => notices.close());

    const guard = await buildGuard(config, opts, clock, logger, shared.limitStore);
    life.add('guard', () => guard.close());
    const journal = config.journal?.enabled ? await Journal.open(config.journal, { clock, log: logger, ...journalDir(config, opts), ...journalPostgres(config) }) : undefined;
    // Closed before the pools (later in the list closes first): what is queued is written out.
    if (journal) life.add('journal', () => journal.close());

    const router = new Router(clock, outcomes, {
      random,
      state,
      ...(watch.observer ? { observer: watch.observer } : {}),
      ...(statusPage ? { statusPage } : {}),
      onPark: (p) => {
        logger.warn({ provider: p.provider, model: p.model, until: new Date(p.until).toISOString(), cause: p.cause }, PARK_MESSAGES[p.cause]);
        // An operator must act on a spent quota or a refused credential: alert them.
        if (p.cause !== 'rate_limited') notices.credentialParked(p);
      },
    });
    const context: GatewayContext = {
      config,
      routes,
      router,
      clock,
      logger,
      redactor,
      storage: shared.status,
      outcomes,
      health: health.tracker,
      statusSource: notices.statusSource,
      stage: [new GuardStep(guard), ...(opts.stage ?? [])],
      guard,
      ...(journal ? { journal } : {}),
      ...(statusPage ? { statusPage } : {}),
      ...playgroundOf(config, opts),
      ...(watch.metrics ? { metrics: watch.metrics } : {}),
      ...(watch.tracer ? { tracer: watch.tracer } : {}),
      drain: { draining: false },
    };
    checkMetricsAccess(config, guard);
    if (watch.metrics) watchState(watch.metrics, { router, routes, guard, storage: shared.status, ...(journal ? { journal } : {}) });
    const server = createHttpServer(context);
    life.add('HTTP server', () => closeServer(server));
    return new Gateway(context, server, pools, life);
  }

  /** Listen on config.server host/port; resolves to the base URL. */
  async listen(): Promise<string> {
    const { server } = this;
    const { host, port } = this.context.config.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const a = server.address() as AddressInfo;
    return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  }

  /**
   * The first step of a graceful stop: /readyz answers 503 and responses ask their clients to
   * close the connection, while requests are still served (the caller closes later).
   */
  startDraining(): void {
    if (this.context.drain) this.context.drain.draining = true;
  }

  /** Stop accepting, let open requests finish, then close everything this gateway built (in reverse order). */
  close(): Promise<void> {
    return this.lifecycle.close();
  }
}

const PARK_MESSAGES = {
  quota: 'credential parked: quota exhausted',
  auth: 'credential parked: the provider refused it (check its api_key or cloud credentials)',
  rate_limited: 'target waiting: rate limited',
} as const;

export function createGateway(config: GatewayConfig, opts: GatewayOptions = {}): Promise<Gateway> {
  return Gateway.create(config, opts);
}

/**
 * The guard (keys, limits, shedding): refused at start when the gateway would listen beyond loopback
 * with no keys, unless the config says so on purpose (then a warning). Keys live with the health
 * data (status.data_dir, else the serve default).
 */
async function buildGuard(config: GatewayConfig, opts: GatewayOptions, clock: Clock, logger: Logger, limitStore: LimitStore): Promise<Guard> {
  const settings = guardSettingsFor(config, opts.env ?? process.env);
  const exposure = checkExposure({ host: config.server.host, auth: settings.auth, allowUnauthenticatedPublic: settings.allowUnauthenticatedPublic });
  if (!exposure.ok) throw new ConfigError(config.source, [{ path: 'auth', message: exposure.error }]);
  if (exposure.warning) logger.warn(exposure.warning);
  const dataDir = resolve(config.status?.dataDir ?? opts.health?.dataDir ?? DEFAULT_DATA_DIR);
  return openGuard(settings, {
    dataDir,
    clock,
    limitStore,
    ...(opts.loadSampler ? { sampler: opts.loadSampler } : {}),
    onError: (err, context) => logger.warn({ err }, `guard: ${context} failed`),
  });
}

/** The journal's directory: its own, else the health data's, else (no data directory at all: tests, the demo) kept in memory. */
function journalDir(config: GatewayConfig, opts: GatewayOptions): { dataDir?: string } {
  const dir = config.journal?.dataDir ?? config.status?.dataDir ?? opts.health?.dataDir;
  return dir === undefined ? {} : { dataDir: resolve(dir) };
}

/** `journal.store: postgres`: the fleet's shared journal. */
function journalPostgres(config: GatewayConfig): { postgres?: { url: string } } {
  const j = config.journal;
  return j?.store === 'postgres' && j.postgresUrl !== undefined ? { postgres: { url: j.postgresUrl } } : {};
}

function routeOf(m: GatewayConfig['models'][number], providers: ReadonlyMap<string, Provider>): Route {
  return {
    alias: m.name,
    targets: m.targets.map((t) => ({ provider: providers.get(t.provider)!, model: t.model, label: `${t.provider}/${t.model}`, ...(t.weight === undefined ? {} : { weight: t.weight }) })),
    ...(m.policy ? { policy: m.policy } : {}),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    // A keep-alive connection whose answer ends while we close would otherwise stay open until its
    // keep-alive timeout (65 s): each is closed as soon as it is idle.
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearInterval(idle);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/** The playground's dependencies when it is served: the embedder's (the demo), else the page alone when the configuration asks. */
function playgroundOf(config: GatewayConfig, opts: GatewayOptions): { playground?: PlaygroundDeps } {
  if (opts.playground) return { playground: opts.playground };
  return config.server.playground ? { playground: { aliases: () => config.models.map((m) => m.name), modes: [], providers: [] } } : {};
}
