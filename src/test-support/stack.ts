/**
 * Test stack: the three simulated providers and a gateway in front of them,
 * all on loopback random ports, torn down by close().
 */
import { createGateway, type Gateway } from '../gateway/gateway.js';
import { createLogger } from '../http/logger.js';
import { createSim, type SimOptions, type SimServer } from '../sim/index.js';
import { simGatewayConfig } from '../sim/gateway-config.js';
import type { GatewayConfig } from '../config/types.js';
import type { Clock } from '../core/clock.js';
import type { RequestStep } from '../http/context.js';
import type { LoadSampler } from '../guard/load-sampler.js';
import type { RoutePolicy } from '../routing/policy.js';

export interface Stack {
  /** Gateway origin, e.g. http://127.0.0.1:40001 */
  url: string;
  gateway: Gateway;
  sims: { openai: SimServer; anthropic: SimServer; gemini: SimServer };
  config: GatewayConfig;
  close(): Promise<void>;
}

export interface StackOptions {
  sim?: SimOptions;
  /** Adjust the generated config before the gateway starts. */
  configure?: (c: GatewayConfig) => GatewayConfig;
  /** Capture log lines (JSON strings) instead of discarding them. */
  logLines?: string[];
  /** The gateway's clock (deadlines, timers, breakers). */
  clock?: Clock;
  /** Steps every request passes before its handler. */
  stage?: RequestStep[];
  /** The guard's view of the gateway's own load (a test's client shares the gateway's event loop). */
  loadSampler?: LoadSampler;
}

/** Give every route (or the named ones) these resilience settings. */
export function withPolicy(c: GatewayConfig, policy: RoutePolicy, only?: string[]): GatewayConfig {
  return { ...c, models: c.models.map((m) => (only && !only.includes(m.name) ? m : { ...m, policy })) };
}

/**
 * The gateway's own load as the guard sees it, in a test: calm. The test's clients share the
 * gateway's event loop, so its measured delay says more about the test than about the gateway
 * (the guard's shedding has tests of its own, with samplers of their own).
 */
const CALM = { eventLoopDelayMs: () => 0, heapUsedRatio: () => 0, close: () => {} };

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const sims = { openai: createSim('openai', opts.sim), anthropic: createSim('anthropic', opts.sim), gemini: createSim('gemini', opts.sim) };
  const [openai, anthropic, gemini] = await Promise.all([sims.openai.start(), sims.anthropic.start(), sims.gemini.start()]);
  let config = simGatewayConfig({ openai, anthropic, gemini });
  if (opts.configure) config = opts.configure(config);
  const lines = opts.logLines;
  const logger = lines ? createLogger('debug', { write: (s: string) => void lines.push(s) }) : createLogger('silent');
  const gateway = await createGateway(config, { logger, ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.stage ? { stage: opts.stage } : {}), loadSampler: opts.loadSampler ?? CALM });
  const url = await gateway.listen();
  return {
    url,
    gateway,
    sims,
    config,
    async close() {
      await gateway.close();
      await Promise.all(Object.values(sims).map((s) => s.stop()));
    },
  };
}
