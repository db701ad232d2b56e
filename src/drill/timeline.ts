/**
 * Where a scenario stands at a moment: which phase, and what one provider's model is going
 * through then (its failing share and faults, latency, capacity, others' load). Pure functions
 * of scenario time, so a replay's faults do not depend on how fast the machine runs it.
 */
import type { Condition, FaultSpec, Latency, Phase, ProviderScenario } from './scenario.js';

export interface ConditionNow {
  /** Index of the phase this model is in (its own, when the phase is staggered). */
  phase: number;
  fail: number;
  faults: FaultSpec[];
  latency: Latency;
  capacity?: number;
  baseLoad: number;
}

/** The scenario phase at `at` (the first phase before the start, the last after the end). */
export function phaseIndexAt(phases: readonly Phase[], at: number): number {
  let k = 0;
  for (let j = 1; j < phases.length && phases[j]!.at <= at; j++) k = j;
  return k;
}

/** When model number `modelIndex` (config order) enters phase `k`: staggered phases start later for later models, never after the next phase. */
function startFor(phases: readonly Phase[], conds: readonly Condition[], k: number, modelIndex: number): number {
  const own = phases[k]!.at + modelIndex * conds[k]!.staggerMs;
  const next = phases[k + 1]?.at;
  return next === undefined ? own : Math.min(own, next);
}

const lerp = (a: number, b: number, x: number) => a + (b - a) * x;

/** A model's condition at `at`, ramps applied: a ramping phase moves from the previous phase's values to its own. */
export function conditionAt(phases: readonly Phase[], conds: readonly Condition[], modelIndex: number, at: number): ConditionNow {
  let k = 0;
  for (let j = 1; j < phases.length && startFor(phases, conds, j, modelIndex) <= at; j++) k = j;
  const c = conds[k]!;
  const out: ConditionNow = { phase: k, fail: c.fail, faults: c.faults, latency: c.latency, baseLoad: c.baseLoad };
  if (c.capacity !== undefined) out.capacity = c.capacity;
  const since = at - startFor(phases, conds, k, modelIndex);
  if (k > 0 && c.rampMs > 0 && since < c.rampMs) {
    const prev = conds[k - 1]!;
    const x = Math.max(0, since / c.rampMs);
    out.fail = lerp(prev.fail, c.fail, x);
    out.latency = { ttftMs: lerp(prev.latency.ttftMs, c.latency.ttftMs, x), wordMs: lerp(prev.latency.wordMs, c.latency.wordMs, x) };
    out.baseLoad = lerp(prev.baseLoad, c.baseLoad, x);
    // Ramping down to no failures: the failing requests still get what failed before.
    if (c.faults.length === 0) out.faults = prev.faults;
  }
  return out;
}

/** The conditions of a provider's model: the first per-model override whose glob matches, else the provider's own. */
export function conditionsFor(p: ProviderScenario, model: string): readonly Condition[] {
  return p.models.find((m) => globMatch(m.match, model))?.phases ?? p.phases;
}

/** `*` matches any run of characters; everything else is literal. */
export function globMatch(glob: string, s: string): boolean {
  const re = new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(s);
}

/**
 * Everyone else's concurrent requests at a provider at `at`: its own base load, plus what flees
 * the providers it is coupled to (`share` of their base load, times their failing share) —
 * 2024-06-04, when the traffic leaving ChatGPT arrived at Claude, Gemini and Perplexity.
 */
export function externalLoad(phases: readonly Phase[], all: readonly ProviderScenario[], p: ProviderScenario | undefined, own: ConditionNow, at: number): number {
  let load = own.baseLoad;
  for (const c of p?.coupling ?? []) {
    const from = all.find((q) => q.match === c.from);
    if (!from) continue;
    const f = conditionAt(phases, from.phases, 0, at);
    load += c.share * f.baseLoad * f.fail;
  }
  return load;
}

/** When a provider started failing, as of `at`: the start of the failing stretch `at` is in (for detection delays). */
export function failingSince(phases: readonly Phase[], conds: readonly Condition[], at: number): number | undefined {
  let since: number | undefined;
  for (let k = 0; k < phases.length && phases[k]!.at <= at; k++) {
    if (conds[k]!.fail > 0 || (conds[k]!.rampMs > 0 && k > 0 && conds[k - 1]!.fail > 0)) since ??= phases[k]!.at;
    else since = undefined;
  }
  return since;
}
