/**
 * The simulated world one pass of a drill runs against: a simulator for every provider of
 * the configuration (same wire format, any model), each driven by its scenario entry, and a
 * ledger of every upstream request they saw, by client request. The configuration comes back
 * pointing at them: loopback only, fake keys, no headers or query (nothing of the user's
 * credentials leaves the process), alerts and vendor feeds removed.
 */
import type { Clock } from '../core/clock.js';
import type { GatewayConfig } from '../config/types.js';
import { ConditionDriver, type SimCondition, type SimVerdict } from '../sim/condition-driver.js';
import { simProvider } from '../sim/gateway-config.js';
import { createSim, type SimServer } from '../sim/index.js';
import { forJsonAnswer } from './fault-spec.js';
import type { PlannedRequest } from './load-plan.js';
import { entryFor, modelsOf, simKindOf } from './provider-map.js';
import type { Scenario } from './scenario.js';
import { conditionAt, conditionsFor, externalLoad } from './timeline.js';

export interface WorldProvider {
  name: string;
  sim: SimServer;
  /** Everyone's concurrent requests now (others' modelled load plus this sim's open requests). */
  loadNow(): number;
  capacityNow(): number | undefined;
}

/** An upstream request as the simulator judged it, by client request id. */
export interface Attempt {
  provider: string;
  outcome: string;
  at: number;
  /** Everyone's load on that provider when it arrived, this request included. */
  load: number;
}

export interface SimWorld {
  providers: WorldProvider[];
  /** The configuration, pointed at the simulators. */
  config: GatewayConfig;
  attempts: Map<number, Attempt[]>;
  close(): Promise<void>;
}

const REQUEST_ID = /Drill request (\d+): reply with/;

export async function startWorld(scenario: Scenario, config: GatewayConfig, plan: readonly PlannedRequest[], clock: Clock, primary: string | undefined): Promise<SimWorld> {
  const attempts = new Map<number, Attempt[]>();
  const world: SimWorld = { providers: [], config, attempts, close: async () => {} };
  const identify = (body: unknown) => {
    const m = REQUEST_ID.exec(JSON.stringify(body));
    const req = m ? plan[Number(m[1])] : undefined;
    return req && { key: `r${req.id}`, at: req.at, words: req.words };
  };
  for (const p of config.providers) {
    const entry = entryFor(p, scenario.providers, primary);
    const models = modelsOf(config, p.name);
    const condition = (model: string, at: number): SimCondition => {
      if (!entry) return { fail: 0, faults: [], ttftMs: 600, chunkDelayMs: 25, externalLoad: 0 };
      const index = Math.max(0, models.indexOf(model));
      const c = conditionAt(scenario.phases, conditionsFor(entry, model), index, at);
      return {
        fail: c.fail,
        faults: c.faults,
        ttftMs: c.latency.ttftMs,
        chunkDelayMs: c.latency.wordMs,
        ...(c.capacity === undefined ? {} : { capacity: c.capacity }),
        externalLoad: externalLoad(scenario.phases, scenario.providers, entry, c, at),
      };
    };
    const onVerdict = (v: SimVerdict) => {
      // Warm-up requests and active probes carry no drill request id: no client request accounts for them.
      const id = /^r(\d+)$/.exec(v.key);
      if (!id) return;
      const list = attempts.get(Number(id[1])) ?? [];
      list.push({ provider: p.name, outcome: v.outcome, at: v.at, load: v.load });
      attempts.set(Number(id[1]), list);
    };
    const driver = new ConditionDriver({ clock, seed: scenario.seed, condition, identify, forJson: forJsonAnswer, onVerdict });
    const sim = createSim(simKindOf(p), { clock, decide: driver.decide });
    const first = models[0] ?? '';
    world.providers.push({
      name: p.name,
      sim,
      loadNow: () => condition(first, clock.now()).externalLoad + sim.stats.active,
      capacityNow: () => condition(first, clock.now()).capacity,
    });
  }
  world.close = async () => {
    await Promise.all(world.providers.map((w) => w.sim.stop()));
  };
  try {
    for (const w of world.providers) await w.sim.start();
  } catch (e) {
    await world.close();
    throw e;
  }
  world.config = {
    ...config,
    server: { ...config.server, host: '127.0.0.1', port: 0 },
    providers: config.providers.map((p, i) => simProvider(p.name, p.type, simKindOf(p), world.providers[i]!.sim.url)),
    notes: [],
  };
  delete world.config.alerts;
  delete world.config.vendorFeeds;
  return world;
}
