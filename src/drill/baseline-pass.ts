/**
 * The no-gateway baseline pass, whole: its own simulators, its own clock, the SDK clients,
 * the planned load. It runs in a worker thread (baseline-worker.ts), so the gateway pass and
 * the baseline each have an event loop and a core of their own, and each its own scenario
 * time: a clock that counts only idle time would otherwise stand still for one pass while the
 * other works.
 */
import type { GatewayConfig } from '../config/types.js';
import { PacedClock } from '../sim/paced-clock.js';
import { baselineClientOf, loadSdks, sendDirect, type BaselineTarget } from './baseline-client.js';
import type { ClientResult } from './client-result.js';
import { planLoad, type PlannedRequest } from './load-plan.js';
import { Pass, warmUp, WARM_UP_MS } from './run-pass.js';
import type { Scenario } from './scenario.js';
import { startWorld, type Attempt, type SimWorld } from './sim-world.js';

export interface BaselineInput {
  scenario: Scenario;
  config: GatewayConfig;
  aliases: string[];
  rateFactor?: number;
  speed: number;
  primary?: string;
}

/** What the pass sends back: plain data (a worker's message). `skipped` says why there are no results. */
export interface BaselineOutput {
  skipped?: string;
  results: ClientResult[];
  attempts: [number, Attempt[]][];
  /** The client each provider's requests used (`openai SDK, 2 retries`...). */
  clients: Record<string, string>;
  busyMs: number;
}

export async function runBaselinePass(input: BaselineInput, onDone?: (done: number) => void): Promise<BaselineOutput> {
  const { scenario, config } = input;
  const plan = planLoad(scenario, input.aliases, input.rateFactor);
  const clock = new PacedClock(input.speed, scenario.start - WARM_UP_MS);
  const world = await startWorld(scenario, config, plan, clock, input.primary);
  try {
    const sdks = await loadSdks();
    const targets = baselineTargets(config, world);
    const missing = [...new Set([...targets.values()].map((t) => baselineClientOf(t.provider, sdks)).filter((c) => c.startsWith('missing: ')))];
    // Without the SDK an application would use, there is no honest baseline: say so rather than count failures.
    if (missing.length > 0) return { skipped: `the official SDKs are not installed (${missing.map((m) => m.slice(9)).join(', ')}; they are optional dependencies)`, results: [], attempts: [], clients: {}, busyMs: 0 };
    let done = 0;
    const send = (r: PlannedRequest) => sendDirect(targets.get(r.alias)!, r, sdks, clock, scenario.seed, scenario.load.giveUpMs);
    const pass = new Pass(plan, { clock, send, onResult: () => onDone?.(++done) });
    clock.start();
    for (const alias of targets.keys()) await warmUp(send, alias, clock.now());
    const results = await pass.run();
    clock.stop();
    const clients: Record<string, string> = {};
    for (const p of config.providers) clients[p.name] = baselineClientOf(p, sdks);
    return { results, attempts: [...world.attempts], clients, busyMs: clock.busyMs };
  } finally {
    clock.stop();
    await world.close();
  }
}

/** Each alias's first target, as the application would call it directly. */
function baselineTargets(config: GatewayConfig, world: SimWorld): Map<string, BaselineTarget> {
  const out = new Map<string, BaselineTarget>();
  for (const m of config.models) {
    const first = m.targets[0];
    const provider = first && world.config.providers.find((p) => p.name === first.provider);
    if (first && provider) out.set(m.name, { provider, model: first.model });
  }
  return out;
}
