/**
 * Scenario YAML text -> Scenario: validate the shape (zod), then the timeline and the
 * cross-references, and resolve every phase of every provider. Throws one ScenarioError
 * listing every problem, each with its path, like the configuration (parse-config.ts).
 */
import { parseDocument } from 'yaml';
import type { core as zcore } from 'zod';
import { formatPath, type ConfigIssue } from '../config/config-error.js';
import { suggestion } from '../config/did-you-mean.js';
import type { ClientFormat, Condition, LoadSpec, Phase, ProviderScenario, Scenario } from './scenario.js';
import { DEFAULT_LATENCY } from './scenario.js';
import { ScenarioError } from './scenario-error.js';
import { SCENARIO_KEYS, scenarioSchema, type RawCondition, type RawLatency, type RawScenario } from './scenario-schema.js';
import { parseAt, parseDuration, parseInstant } from './scenario-time.js';
import { toFaultSpec } from './fault-spec.js';

export function parseScenario(text: string, source: string): Scenario {
  const doc = parseDocument(text, { prettyErrors: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0];
    throw new ScenarioError(source, [{ path: line ? `line ${line.line}, column ${line.col}` : '', message: `invalid YAML: ${yamlError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}` }]);
  }
  const tree: unknown = doc.toJS() ?? {};
  const parsed = scenarioSchema.safeParse(tree);
  // Names are checked on the raw tree too, so a file with shape problems hears about them in the same go.
  if (!parsed.success) throw new ScenarioError(source, [...parsed.error.issues.map(toIssue), ...checkNames(tree)]);
  const issues: ConfigIssue[] = [];
  const scenario = resolve(parsed.data, issues);
  if (issues.length > 0 || !scenario) throw new ScenarioError(source, issues);
  return scenario;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Phase names (unique, and every provider's and model's `phases:` naming one of them), read defensively from the raw tree. */
function checkNames(tree: unknown): ConfigIssue[] {
  if (!isRecord(tree)) return [];
  const issues: ConfigIssue[] = [];
  const names: string[] = [];
  list(tree.phases).forEach((p, i) => {
    if (!isRecord(p) || typeof p.name !== 'string') return;
    if (names.includes(p.name)) issues.push({ path: `phases[${i}].name`, message: `duplicate phase name "${p.name}"; phase names must be unique` });
    names.push(p.name);
  });
  const refs = (phases: unknown, at: string) => {
    if (!isRecord(phases)) return;
    for (const name of Object.keys(phases)) {
      if (!names.includes(name)) issues.push({ path: `${at}.${formatPath([name])}`, message: `no phase is named "${name}"${suggestion(name, names)}; phases: ${names.join(', ')}` });
    }
  };
  list(tree.providers).forEach((p, i) => {
    if (!isRecord(p)) return;
    refs(p.phases, `providers[${i}].phases`);
    list(p.models).forEach((m, j) => isRecord(m) && refs(m.phases, `providers[${i}].models[${j}].phases`));
  });
  return issues;
}

function toIssue(iss: zcore.$ZodIssue): ConfigIssue {
  if (iss.code === 'unrecognized_keys') {
    const allowed = allowedKeys(iss.path.map(String));
    const [first, ...rest] = iss.keys;
    const extra = rest.length > 0 ? ` (also unknown: ${rest.join(', ')})` : '';
    return { path: formatPath([...iss.path, first ?? '']), message: `unknown key${suggestion(first ?? '', allowed)}; allowed keys: ${allowed.join(', ')}${extra}` };
  }
  return { path: formatPath(iss.path), message: iss.message };
}

function allowedKeys(p: string[]): readonly string[] {
  const n = p.length;
  if (n === 0) return SCENARIO_KEYS.root;
  if (p[0] === 'load') return SCENARIO_KEYS.load;
  if (p[0] === 'phases') return SCENARIO_KEYS.phase;
  const [last, prev] = [p[n - 1], p[n - 2]];
  if (prev === 'faults') return SCENARIO_KEYS.fault;
  if (last === 'latency') return SCENARIO_KEYS.latency;
  if (prev === 'coupling') return SCENARIO_KEYS.coupling;
  if (prev === 'models') return SCENARIO_KEYS.model;
  if (prev === 'phases') return SCENARIO_KEYS.condition;
  return n === 2 ? SCENARIO_KEYS.provider : [];
}

function resolve(raw: RawScenario, issues: ConfigIssue[]): Scenario | undefined {
  const start = parseInstant(raw.start);
  if (start === undefined) {
    issues.push({ path: 'start', message: `"${raw.start}" is not an ISO time with a zone; expected something like 2024-06-04T06:30:00Z` });
    return undefined;
  }
  const phases = resolvePhases(raw, start, issues);
  const last = phases.at(-1)?.at ?? start;
  let end: number | undefined;
  if ((raw.end === undefined) === (raw.duration === undefined)) {
    issues.push({ path: 'end', message: 'give exactly one of end (a time like 17:30) or duration (like 11h)' });
  } else {
    end = raw.end !== undefined ? parseAt(raw.end, start, last + 1) : start + parseDuration(raw.duration)!;
    if (end === undefined) issues.push({ path: 'end', message: `"${raw.end}" is not a time; expected HH:MM (UTC), +duration from the start, or an ISO time` });
    else if (end <= last) issues.push({ path: raw.end !== undefined ? 'end' : 'duration', message: 'the scenario ends before its last phase begins' });
  }

  const names = phases.map((p) => p.name);
  const matches = (raw.providers ?? []).map((p) => p.match);
  const providers = (raw.providers ?? []).map((p, i) => resolveProvider(p, i, names, matches, issues));
  const load = resolveLoad(raw.load, issues);
  if (issues.length > 0 || end === undefined) return undefined;
  const out: Scenario = { name: raw.name, title: raw.title, seed: raw.seed ?? 1, start, end, assumptions: raw.assumptions ?? [], load, phases, providers };
  if (raw.source !== undefined) out.source = raw.source;
  if (raw.description !== undefined) out.description = raw.description;
  return out;
}

function resolvePhases(raw: RawScenario, start: number, issues: ConfigIssue[]): Phase[] {
  const out: Phase[] = [];
  raw.phases.forEach((p, i) => {
    if (out.some((q) => q.name === p.name)) issues.push({ path: `phases[${i}].name`, message: `duplicate phase name "${p.name}"; phase names must be unique` });
    const prev = out.at(-1)?.at;
    if (p.at === undefined && i > 0) {
      issues.push({ path: `phases[${i}].at`, message: 'missing; expected a time like 06:49, +19m or an ISO time (only the first phase may leave it out: it begins at the start)' });
      return;
    }
    const at = p.at === undefined ? start : parseAt(p.at, start, prev === undefined ? start : prev + 1);
    if (at === undefined) {
      issues.push({ path: `phases[${i}].at`, message: `"${String(p.at)}" is not a time; expected HH:MM (UTC), +duration from the start (like +19m), or an ISO time` });
      return;
    }
    if (i === 0 && at !== start) issues.push({ path: 'phases[0].at', message: 'the first phase begins at the scenario’s start; move start or this phase' });
    else if (prev !== undefined && at <= prev) issues.push({ path: `phases[${i}].at`, message: 'begins before the phase above it ends; phases are listed in time order' });
    out.push({ name: p.name, at, load: p.load ?? 1 });
  });
  return out;
}

function resolveLoad(raw: RawScenario['load'], issues: ConfigIssue[]): LoadSpec {
  const formats = Object.entries(raw.formats ?? { 'openai-chat': 1 })
    .filter(([, share]) => share > 0)
    .map(([format, share]) => ({ format: format as ClientFormat, share }));
  if (formats.length === 0) issues.push({ path: 'load.formats', message: 'every share is 0; give at least one format a positive share' });
  const words = raw.answer_words ?? [20, 60];
  if (words[0] > words[1]) issues.push({ path: 'load.answer_words', message: `[${words[0]}, ${words[1]}] is not [min, max]; the first is the smaller` });
  const out: LoadSpec = {
    ratePerMin: raw.rate_per_min,
    arrivals: raw.arrivals ?? 'poisson',
    streamShare: raw.stream ?? 0.7,
    formats,
    answerWords: words,
    // The official SDKs give up after 10 minutes by default.
    giveUpMs: raw.give_up === undefined ? 600_000 : parseDuration(raw.give_up)!,
  };
  if (raw.models) out.models = raw.models;
  return out;
}

function resolveProvider(raw: NonNullable<RawScenario['providers']>[number], i: number, phases: string[], matches: string[], issues: ConfigIssue[]): ProviderScenario {
  const at = `providers[${i}]`;
  if (matches.indexOf(raw.match) !== i) issues.push({ path: `${at}.match`, message: `"${raw.match}" is matched by providers[${matches.indexOf(raw.match)}] already; each match once` });
  const coupling = (raw.coupling ?? []).map((c, j) => {
    if (c.from === raw.match) issues.push({ path: `${at}.coupling[${j}].from`, message: 'a provider cannot take traffic from itself' });
    else if (!matches.includes(c.from)) issues.push({ path: `${at}.coupling[${j}].from`, message: `no provider entry matches "${c.from}"${suggestion(c.from, matches)}; entries: ${matches.join(', ')}` });
    return { from: c.from, share: c.share };
  });
  const base: Condition = {
    fail: 0,
    rampMs: 0,
    faults: [],
    latency: latencyOf(raw.latency, DEFAULT_LATENCY),
    ...(raw.capacity === undefined ? {} : { capacity: raw.capacity }),
    baseLoad: raw.base_load ?? 0,
    staggerMs: 0,
  };
  const own = conditions(raw.phases, phases.map(() => base), `${at}.phases`, phases, issues);
  const models = (raw.models ?? []).map((m, j) => ({ match: m.match, phases: conditions(m.phases, own, `${at}.models[${j}].phases`, phases, issues) }));
  return { match: raw.match, coupling, phases: own, models };
}

/** One condition per phase: `over` (the provider's, or the defaults) changed by what the file says for that phase. */
function conditions(raw: Record<string, RawCondition> | undefined, over: Condition[], at: string, phases: string[], issues: ConfigIssue[]): Condition[] {
  for (const name of Object.keys(raw ?? {})) {
    if (!phases.includes(name)) issues.push({ path: `${at}.${formatPath([name])}`, message: `no phase is named "${name}"${suggestion(name, phases)}; phases: ${phases.join(', ')}` });
  }
  return phases.map((name, k) => {
    const c = raw?.[name];
    const b = over[k]!;
    if (!c) return b;
    const faults = c.faults ? c.faults.map((f) => toFaultSpec(f)) : b.faults;
    const out: Condition = {
      fail: c.fail ?? (c.faults && c.faults.length > 0 ? 1 : b.fail),
      rampMs: c.ramp === undefined ? 0 : parseDuration(c.ramp)!,
      faults,
      latency: latencyOf(c.latency, b.latency),
      baseLoad: c.base_load ?? b.baseLoad,
      staggerMs: c.stagger === undefined ? 0 : parseDuration(c.stagger)!,
    };
    const capacity = c.capacity ?? b.capacity;
    if (capacity !== undefined) out.capacity = capacity;
    if (out.fail > 0 && faults.length === 0) {
      issues.push({ path: `${at}.${formatPath([name])}.faults`, message: `fail is ${out.fail} but no fault says what failing requests get; add faults, e.g. [{ status: 503 }]` });
    }
    return out;
  });
}

function latencyOf(raw: RawLatency | undefined, base: { ttftMs: number; wordMs: number }): { ttftMs: number; wordMs: number } {
  return {
    ttftMs: raw?.ttft === undefined ? base.ttftMs : parseDuration(raw.ttft)!,
    wordMs: raw?.per_word === undefined ? base.wordMs : parseDuration(raw.per_word)!,
  };
}
