/**
 * A drill: the user's configuration with every provider replaced by a simulator playing the
 * scenario, a real gateway built from it, the planned load sent through it — and, at the same
 * time on the same clock, the same load sent with no gateway at all (the baseline), against a
 * second, identical set of simulators.
 *
 * Time: one paced clock (sim/paced-clock.ts) for the gateway (deadlines, timers, breakers,
 * health windows), the simulators (latency, stalls, stream pacing) and the clients (give-up
 * timers, the SDKs' waits): scenario time runs `speed` times faster than the wall clock and
 * stands still while the process is stalled. Real sockets need time that flows by itself,
 * which a virtual clock would only give by knowing when every socket is idle. The price is
 * resolution: timers fire on 1 ms ticks, so at 660x a measured latency is good to about
 * 0.66 s of scenario time; the report states the speed, the tick and the time not counted.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Clock } from '../core/clock.js';
import type { GatewayConfig } from '../config/types.js';
import type { Incident } from '../health/types.js';
import { PacedClock } from '../sim/paced-clock.js';
import { baselineClientOf, loadSdks, sendDirect, type BaselineTarget } from './baseline-client.js';
import type { ClientResult } from './client-result.js';
import { sendViaGateway } from './gateway-client.js';
import { planLoad, type PlannedRequest } from './load-plan.js';
import { drillAliases, primaryOf } from './provider-map.js';
import { Pass } from './run-pass.js';
import type { Scenario } from './scenario.js';
import { startWorld, type Attempt, type SimWorld } from './sim-world.js';
import { startDrillGateway, type DrillGateway } from './start-gateway.js';

/** About a minute of wall time for any scenario, unless told otherwise. */
export const TARGET_WALL_MS = 60_000;

export interface DrillOptions {
  scenario: Scenario;
  config: GatewayConfig;
  /** Scenario ms per wall ms; default: the scenario's length in about a minute. */
  speed?: number;
  /** Run the no-gateway baseline too (default true). */
  baseline?: boolean;
  /** Multiply the scenario's load (tests use less). */
  rateFactor?: number;
  /** Told about progress every ~250 ms of wall time. */
  onProgress?(p: DrillProgress): void;
}

export interface DrillProgress {
  /** 0..1 of scenario time. */
  fraction: number;
  now: number;
  sent: number;
  done: number;
  ok: number;
}

export interface LoadSample {
  at: number;
  /** Per provider name: everyone's load on the gateway's simulator, and its capacity. */
  providers: Record<string, { load: number; capacity?: number }>;
  /** Requests waiting in the gateway's capacity queue. */
  queued: number;
}

export interface PassData {
  results: ClientResult[];
  attempts: Map<number, Attempt[]>;
  untagged: number;
  /** Peak load and over-capacity answers per provider over the whole run. */
  peaks: Record<string, { peakLoad: number; overCapacity: number }>;
}

export interface DrillRun {
  scenario: Scenario;
  config: GatewayConfig;
  aliases: string[];
  plan: PlannedRequest[];
  speed: number;
  wallMs: number;
  /** Event loop delay, wall ms (p99, max), and wall ms of stalls not counted as scenario time. */
  loopDelay: { p99: number; max: number; stalledMs: number };
  gateway: PassData;
  baseline?: PassData & { clients: Record<string, string> };
  samples: LoadSample[];
  incidents: Incident[];
}

export async function runDrill(o: DrillOptions): Promise<DrillRun> {
  const { scenario, config } = o;
  const aliases = drillAliases(config, scenario.load.models);
  const unknown = aliases.filter((a) => !config.models.some((m) => m.name === a));
  if (unknown.length > 0) throw new Error(`the scenario sends to ${unknown.join(', ')}, which the configuration does not define (models: ${config.models.map((m) => m.name).join(', ')})`);
  if (aliases.length === 0) throw new Error('the configuration has no chat model alias to send requests to');
  const plan = planLoad(scenario, aliases, o.rateFactor);
  const speed = o.speed ?? Math.max(1, (scenario.end - scenario.start) / TARGET_WALL_MS);
  const clock = new PacedClock(speed, scenario.start);
  const primary = primaryOf(config, aliases);
  const wallStart = performance.now();
  const loop = monitorEventLoopDelay({ resolution: 10 });

  const closers: (() => Promise<void>)[] = [];
  try {
    const gwWorld = await startWorld(scenario, config, plan, clock, primary);
    closers.push(() => gwWorld.close());
    const gateway = await startDrillGateway(gwWorld.config, clock);
    closers.unshift(() => gateway.close());
    const baseWorld = o.baseline === false ? undefined : await startWorld(scenario, config, plan, clock, primary);
    if (baseWorld) closers.push(() => baseWorld.close());
    const sdks = await loadSdks();

    const samples: LoadSample[] = [];
    const sampler = sample(clock, scenario, gwWorld, gateway, samples);
    const counts = { sent: 0, done: 0, ok: 0 };
    const onResult = (r: ClientResult) => {
      counts.done++;
      if (r.ok) counts.ok++;
    };
    const gwPass = new Pass(plan, { clock, onResult, send: (r) => (counts.sent++, sendViaGateway(gateway.url, r, clock, scenario.load.giveUpMs)) });
    const targets = baseWorld && baselineTargets(config, baseWorld);
    const basePass = targets && new Pass(plan, { clock, send: (r) => sendDirect(targets.get(r.alias)!, r, sdks, clock, scenario.seed, scenario.load.giveUpMs) });
    const progress = setInterval(() => o.onProgress?.({ fraction: Math.min(1, Math.max(0, (clock.now() - scenario.start) / (scenario.end - scenario.start))), now: clock.now(), ...counts }), 250);
    loop.enable();
    clock.start();
    const [gwResults, baseResults] = await Promise.all([gwPass.run(), basePass?.run()]);
    loop.disable();
    clearInterval(progress);
    sampler.stop();
    o.onProgress?.({ fraction: 1, now: clock.now(), ...counts });

    const run: DrillRun = {
      scenario,
      config,
      aliases,
      plan,
      speed,
      wallMs: performance.now() - wallStart,
      loopDelay: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6, stalledMs: clock.stalledMs },
      gateway: passData(gwResults, gwWorld),
      samples,
      incidents: gateway.incidents(),
    };
    if (baseWorld && baseResults) {
      const clients: Record<string, string> = {};
      for (const p of config.providers) clients[p.name] = baselineClientOf(p, sdks);
      run.baseline = { ...passData(baseResults, baseWorld), clients };
    }
    return run;
  } finally {
    for (const close of closers) await close().catch(() => undefined);
    clock.stop();
  }
}

function passData(results: ClientResult[], world: SimWorld): PassData {
  const peaks: PassData['peaks'] = {};
  for (const w of world.providers) peaks[w.name] = { peakLoad: w.driver.peakLoad, overCapacity: w.driver.overCapacity };
  return { results, attempts: world.attempts, untagged: world.untagged, peaks };
}

/** Each alias's first target, as the baseline's application would call it directly. */
function baselineTargets(config: GatewayConfig, world: SimWorld): Map<string, BaselineTarget> {
  const out = new Map<string, BaselineTarget>();
  for (const m of config.models) {
    const first = m.targets[0];
    const provider = first && world.config.providers.find((p) => p.name === first.provider);
    if (first && provider) out.set(m.name, { provider, model: first.model });
  }
  return out;
}

/** Load on every simulator and the gateway's queue, about 240 times over the scenario. */
function sample(clock: Clock, s: Scenario, world: SimWorld, gw: DrillGateway, into: LoadSample[]): { stop(): void } {
  const every = Math.max(1000, (s.end - s.start) / 240);
  let timer = clock.setTimeout(tick, Math.max(0, s.start - clock.now()));
  function tick() {
    const providers: LoadSample['providers'] = {};
    for (const w of world.providers) {
      const capacity = w.capacityNow();
      providers[w.name] = { load: w.loadNow(), ...(capacity === undefined ? {} : { capacity }) };
    }
    into.push({ at: clock.now(), providers, queued: gw.queued() });
    timer = clock.setTimeout(tick, every);
  }
  return { stop: () => clock.clearTimeout(timer) };
}
