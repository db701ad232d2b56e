/**
 * A resolved drill scenario: validated, times in epoch ms, every phase of every provider
 * filled in. Built once by parseScenario (parse-scenario.ts); the driver, the load generator
 * and the report read only this. docs/drills.md is the reference for the YAML it comes from.
 */
import type { SimFault } from '../sim/faults.js';

export interface Scenario {
  name: string;
  title: string;
  /** Where the facts come from (e.g. a postmortem). */
  source?: string;
  description?: string;
  seed: number;
  /** Scenario time, epoch ms: the replay runs from start to end. */
  start: number;
  end: number;
  /** What the scenario assumes where nothing was published: shown in every report. */
  assumptions: string[];
  load: LoadSpec;
  /** The timeline, in order; the first starts at `start`. The report is per phase. */
  phases: Phase[];
  providers: ProviderScenario[];
}

export type ClientFormat = 'openai-chat' | 'anthropic-messages' | 'openai-responses';

export interface LoadSpec {
  /** Average client requests per minute of scenario time (times each phase's `load`). */
  ratePerMin: number;
  arrivals: 'poisson' | 'even';
  /** Share of requests that ask for a streamed answer. */
  streamShare: number;
  formats: { format: ClientFormat; share: number }[];
  /** Answer length in words (one stream chunk each), drawn evenly from [min, max]. */
  answerWords: [number, number];
  /** A client gives up on a request after this long (scenario time). */
  giveUpMs: number;
  /** Aliases to send to; default: every chat alias of the configuration. */
  models?: string[];
}

export interface Phase {
  name: string;
  at: number;
  /** Offered load as a multiple of load.rate_per_min. */
  load: number;
}

export interface Latency {
  /** Time to the first token. */
  ttftMs: number;
  /** Time per word (stream chunk) after it. */
  wordMs: number;
}

/** What a failing request gets, with its weight among the phase's faults. */
export interface FaultSpec {
  share: number;
  /** The simulator fault, or `overloaded`: the provider's own over-capacity answer (429, or 529 at Anthropic). */
  fault: SimFault | 'overloaded';
  /** As written in the scenario, for the report (e.g. `status 503`, `cut_after 5`). */
  label: string;
}

/** A provider (or one of its models) during one phase. */
export interface Condition {
  /** Share of requests that fail (0..1). */
  fail: number;
  /** `fail` and latency move linearly from the previous phase's values over this long. */
  rampMs: number;
  faults: FaultSpec[];
  latency: Latency;
  /** Concurrent requests the provider serves (everyone's); beyond it, its over-capacity answer. */
  capacity?: number;
  /** Concurrent requests from everyone else, before any traffic shifts here. */
  baseLoad: number;
  /** The provider's models enter this phase one after another, this far apart (config order). */
  staggerMs: number;
}

export interface ProviderScenario {
  /** A vendor (openai, anthropic, gemini, perplexity, azure, ...) or a provider name of the configuration. */
  match: string;
  /** Traffic that flees another provider arrives here: `share` of its base load, times its failing share. */
  coupling: { from: string; share: number }[];
  /** One condition per scenario phase, in phase order. */
  phases: Condition[];
  /** Per-model overrides (glob `match` on the upstream model id), first match wins. */
  models: { match: string; phases: Condition[] }[];
}

export const DEFAULT_LATENCY: Readonly<Latency> = { ttftMs: 600, wordMs: 25 };
