/**
 * A drill: the user's configuration with every provider replaced by a simulator playing the
 * scenario, a real gateway built from it, the planned load sent through it — and, at the same
 * time in a worker thread, the same load sent with no gateway at all (the baseline), against
 * a second, identical set of simulators.
 *
 * Time: one paced clock per pass (sim/paced-clock.ts) for everything in it — the gateway
 * (deadlines, timers, breakers, health windows), the simulators (latency, stalls, stream
 * pacing) and the clients (give-up timers, the SDKs' waits). Scenario time advances `speed`
 * times faster than the wall clock but only while the process waits, so the replay's own
 * work takes no scenario time. Real sockets need time that flows by itself; a fully virtual
 * clock would have to know when every socket is idle. The price is resolution: timers fire on
 * ~1 ms ticks, so a latency is good to about `speed` ms of scenario time.
 */
import type { Clock } from '../core/clock.js';
import type { GatewayConfig } from '../config/types.js';
import type { Incident } from '../health/types.js';
import { PacedClock } from '../sim/paced-clock.js';
import type { BaselineOutput } from './baseline-pass.js';
import { runBaselineThread } from './baseline-thread.js';
import type { ClientResult } from './client-result.js';
import { sendViaGateway } from './gateway-client.js';
import { planLoad, type PlannedRequest } from './load-plan.js';
import { drillAliases, primaryOf } from './provider-map.js';
import { Pass, warmUp, WARM_UP_MS } from './run-pass.js';
import type { Scenario } from './scenario.js';
import { startWorld, type Attempt, type SimWorld } from './sim-world.js';
import { startDrillGateway, type DrillGateway } from './start-gateway.js';

/** The waiting part of a replay, in wall time: the work comes on top (about 10-30 s for a built-in). */
export const TARGET_WAIT_MS = 35_000;

export interface DrillOptions {
  scenario: Scenario;
  config: GatewayConfig;
  /** Scenario ms per idle wall ms; default: the scenario's length in TARGET_WAIT_MS. */
  speed?: number;
  /** Run the no-gateway baseline too (default true). */
  baseline?: boolean;
  /** Multiply the scenario's load (tests use less). */
  rateFactor?: number;
  /** Told about progress every ~250 ms of wall time. */
  onProgress?(p: DrillProgress): void;
}

export interface DrillProgress {
  /** 0..1 of the gateway pass's scenario time. */
  fraction: number;
  now: number;
  total: number;
  /** Requests finished through the gateway, and by the baseline. */
  done: number;
  ok: number;
  baselineDone: number;
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
  /** Wall ms the pass's thread worked (not counted as scenario time). */
  busyMs: number;
}

export interface DrillRun {
  scenario: Scenario;
  config: GatewayConfig;
  aliases: string[];
  plan: PlannedRequest[];
  speed: number;
  wallMs: number;
  gateway: PassData;
  baseline?: PassData & { clients: Record<string, string> };
  /** Why there is no baseline when one was asked for. */
  baselineSkipped?: string;
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
  const speed = o.speed ?? Math.max(1, (scenario.end - scenario.start) / TARGET_WAIT_MS);
  const clock = new PacedClock(speed, scenario.start - WARM_UP_MS);
  const primary = primaryOf(config, aliases);
  const wallStart = performance.now();

  const counts = { done: 0, ok: 0, baselineDone: 0 };
  const stopBaseline = new AbortController();
  const baseline =
    o.baseline === false
      ? undefined
      : runBaselineThread(
          { scenario, config, aliases, speed, ...(o.rateFactor === undefined ? {} : { rateFactor: o.rateFactor }), ...(primary ? { primary } : {}) },
          (n) => (counts.baselineDone = n),
          stopBaseline.signal,
        );
  // Settled here too, so a failure while the gateway pass runs is not an unhandled rejection.
  baseline?.catch(() => undefined);

  let world: SimWorld | undefined;
  let gateway: DrillGateway | undefined;
  try {
    world = await startWorld(scenario, config, plan, clock, primary);
    gateway = await startDrillGateway(world.config, clock, scenario.seed);
    const url = gateway.url;
    const samples: LoadSample[] = [];
    const sampler = sample(clock, scenario, world, gateway, samples);
    const pass = new Pass(plan, {
      clock,
      send: (r) => sendViaGateway(url, r, clock, scenario.load.giveUpMs),
      onResult: (r) => {
        counts.done++;
        if (r.ok) counts.ok++;
      },
    });
    const report = () => o.onProgress?.({ fraction: Math.min(1, Math.max(0, (clock.now() - scenario.start) / (scenario.end - scenario.start))), now: clock.now(), total: plan.length, ...counts });
    const progress = setInterval(report, 250);
    let base: BaselineOutput | undefined;
    let results: ClientResult[];
    try {
      clock.start();
      await warmUp((r) => sendViaGateway(url, r, clock, scenario.load.giveUpMs), aliases[0]!, clock.now());
      results = await pass.run();
      sampler.stop();
      clock.stop();
      base = await baseline;
    } finally {
      clearInterval(progress);
    }
    const incidents = gateway.incidents();
    report();
    const run: DrillRun = {
      scenario,
      config,
      aliases,
      plan,
      speed,
      wallMs: performance.now() - wallStart,
      gateway: { results, attempts: world.attempts, busyMs: clock.busyMs },
      samples,
      incidents,
    };
    if (base?.skipped) run.baselineSkipped = base.skipped;
    else if (base) run.baseline = fromThread(base);
    return run;
  } finally {
    clock.stop();
    stopBaseline.abort();
    await gateway?.close().catch(() => undefined);
    await world?.close().catch(() => undefined);
  }
}

function fromThread(b: BaselineOutput): PassData & { clients: Record<string, string> } {
  return { results: b.results, attempts: new Map(b.attempts), busyMs: b.busyMs, clients: b.clients };
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
