/**
 * A simulator's `decide` hook driven by conditions over time (a drill's scenario): each
 * request's fate — fail or not, which fault, its latency, or the provider's over-capacity
 * answer when everyone's load passes its capacity — from the model, the time and the load.
 *
 * Determinism: a request's draws come from a hash of (seed, the request's key, how many times
 * that key came here before), not from arrival order, and its condition is judged at the time
 * the request's client meant to send it (`identify`). So the same scenario with the same seed
 * gives every request the same fate however fast the machine replays it; retries of a request
 * draw afresh. Only the capacity check depends on real concurrency.
 */
import type { Clock } from '../core/clock.js';
import type { SimDecision, SimRequestInfo } from './engine.js';
import type { SimFault } from './faults.js';

export interface SimCondition {
  /** Share of requests that fail (0..1). */
  fail: number;
  /** What failing requests get, by weight; `overloaded` is the wire's over-capacity answer. */
  faults: readonly { share: number; fault: SimFault | 'overloaded' }[];
  ttftMs: number;
  /** Between stream chunks (words). */
  chunkDelayMs: number;
  /** Concurrent requests the provider takes from everyone; beyond it, the over-capacity answer. */
  capacity?: number;
  /** Everyone else's concurrent requests now. */
  externalLoad: number;
}

/** One request as the driver judged it. */
export interface SimVerdict {
  key: string;
  model: string;
  /** When the request arrived (clock time). */
  at: number;
  stream: boolean;
  /** What it got: `ok`, `over capacity`, or the fault's kind. */
  outcome: string;
  /** Everyone's load when it arrived, this request included. */
  load: number;
}

export interface ConditionDriverOptions {
  clock: Clock;
  seed: number;
  condition(model: string, at: number): SimCondition;
  /** A request's stable key (the same for retries of one client request), the time its client meant to send it, its answer's length in words. */
  identify?(body: unknown): { key: string; at: number; words?: number } | undefined;
  /** What a streamed failure becomes for a request that asked for a JSON answer. */
  forJson?(fault: SimFault): SimFault | 'overloaded';
  /** Told every verdict (the drill's ledger). */
  onVerdict?(v: SimVerdict): void;
}

export class ConditionDriver {
  private readonly seen = new Map<string, number>();
  private anonymous = 0;

  constructor(private readonly opts: ConditionDriverOptions) {}

  /** The hook for SimOptions.decide. */
  readonly decide = (r: SimRequestInfo): SimDecision => {
    const now = this.opts.clock.now();
    const id = this.opts.identify?.(r.body);
    const key = id?.key ?? `anonymous-${++this.anonymous}`;
    const n = this.seen.get(key) ?? 0;
    this.seen.set(key, n + 1);
    const c = this.opts.condition(r.model, id?.at ?? now);
    // Capacity is everyone's load now, whenever the client meant to send it.
    const live = id === undefined || id.at === now ? c : this.opts.condition(r.model, now);
    const load = live.externalLoad + r.active;
    const [u1, u2, u3] = draws(this.opts.seed, key, n);
    const words = id?.words ?? 0;
    const jitter = 0.75 + 0.5 * u3;
    const decision: SimDecision = {
      ttftMs: Math.round(c.ttftMs * jitter) + (r.stream ? 0 : Math.round(words * c.chunkDelayMs)),
      chunkDelayMs: c.chunkDelayMs,
    };
    let outcome = 'ok';
    if (live.capacity !== undefined && load > live.capacity) {
      decision.overCapacity = true;
      outcome = 'over capacity';
    } else if (u1 < c.fail && c.faults.length > 0) {
      let fault = pick(c.faults, u2);
      if (fault !== 'overloaded' && !r.stream && this.opts.forJson) fault = this.opts.forJson(fault);
      if (fault === 'overloaded') decision.overCapacity = true;
      else decision.fault = fault;
      if (fault !== 'overloaded' && fault.kind === 'trickle' && !r.stream) decision.ttftMs! += Math.round(words * fault.chunkDelayMs);
      outcome = fault === 'overloaded' ? 'overloaded' : fault.kind;
    }
    this.opts.onVerdict?.({ key, model: r.model, at: now, stream: r.stream, outcome, load });
    return decision;
  };
}

/** The fault whose share the draw `u` falls in. */
function pick(faults: SimCondition['faults'], u: number): SimFault | 'overloaded' {
  let x = u * faults.reduce((s, f) => s + f.share, 0);
  for (const f of faults) {
    x -= f.share;
    if (x < 0) return f.fault;
  }
  return faults[faults.length - 1]!.fault;
}

/** Three uniform draws in [0, 1) from (seed, key, n): FNV-1a, then a splitmix-style finaliser per draw. */
export function draws(seed: number, key: string, n: number): [number, number, number] {
  let h = (2166136261 ^ seed) >>> 0;
  const s = `${key}#${n}`;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  const out: number[] = [];
  for (let i = 1; i <= 3; i++) {
    let z = (h + Math.imul(i, 0x9e3779b9)) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    out.push(((z ^ (z >>> 16)) >>> 0) / 4294967296);
  }
  return out as [number, number, number];
}
