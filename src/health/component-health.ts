/**
 * One component's (provider x model) passive health: a sliding window of
 * outcomes, a latency baseline of its own, and the state machine with
 * hysteresis. Pure bookkeeping — time comes in as arguments.
 */
import type { AttemptOutcome } from '../core/attempt-outcome.js';
import { TTFT_BUCKETS } from '../storage/metrics-store.js';
import { histPercentile, STATE_INDEX, ttftBucketIndex } from './metrics-math.js';
import type { HealthPolicy } from './health-policy.js';
import type { ComponentState } from './types.js';

interface Slot {
  index: number;
  requests: number;
  errors: number;
  /** TTFT histograms of successes, streamed and not (their baselines differ by the whole answer time). */
  stream: number[];
  json: number[];
}

export interface WindowStats {
  requests: number;
  errors: number;
  errorRate: number;
}

export interface Transition {
  from: ComponentState;
  to: ComponentState;
  at: number;
  /** Why, in words for the incident timeline (no secrets: counts and rates only). */
  reason: string;
}

/** Client errors are the caller's fault, never the provider's (DESIGN.md: 400/404/413 are not provider failures). */
export function countsAsFailure(o: AttemptOutcome): boolean {
  return !o.ok && o.kind !== 'client_error';
}

export class ComponentHealth {
  state: ComponentState = 'operational';
  since: number;
  lastOutcomeAt = -Infinity;
  lastTrafficAt = -Infinity;
  /** Worst state during the current minute, for uptime accounting. */
  minuteWorst: ComponentState = 'operational';
  private slots: Slot[] = [];
  private recent: { at: number; ok: boolean }[] = [];
  private worseSince: number | undefined;
  private betterSince: number | undefined;
  private baseline: { stream?: number; json?: number } = {};
  private baselineUpdates = { stream: 0, json: 0 };

  constructor(
    readonly id: string,
    readonly provider: string,
    readonly model: string,
    private readonly policy: HealthPolicy,
    now: number,
  ) {
    this.since = now;
  }

  record(o: AttemptOutcome): void {
    const failed = countsAsFailure(o);
    if (!o.ok && !failed) return; // a client error says nothing about the provider
    const slot = this.slotFor(o.at);
    slot.requests++;
    if (failed) slot.errors++;
    else if (o.ttftMs !== undefined) (o.stream ? slot.stream : slot.json)[ttftBucketIndex(o.ttftMs)]!++;
    // The oldest entry is reused once the streak is full: no allocation per request.
    const r = this.recent.length >= this.policy.streak ? this.recent.shift()! : { at: 0, ok: true };
    r.at = o.at;
    r.ok = !failed;
    this.recent.push(r);
    if (o.at > this.lastOutcomeAt) this.lastOutcomeAt = o.at;
    if (!o.probe && o.at > this.lastTrafficAt) this.lastTrafficAt = o.at;
  }

  window(now: number): WindowStats {
    const first = Math.floor((now - this.policy.windowMs) / this.policy.slotMs) + 1;
    let requests = 0;
    let errors = 0;
    for (const s of this.slots) {
      if (s.index < first) continue;
      requests += s.requests;
      errors += s.errors;
    }
    return { requests, errors, errorRate: requests === 0 ? 0 : errors / requests };
  }

  /**
   * Re-evaluate at `now`; returns the transition when the state changed.
   * Worse states need raiseHoldMs of persistence, better ones lowerHoldMs.
   */
  evaluate(now: number): Transition | undefined {
    this.dropOld(now);
    const w = this.window(now);
    const { state: candidate, reason } = this.candidate(now, w);
    const cur = STATE_INDEX[this.state];
    const cand = STATE_INDEX[candidate];
    let out: Transition | undefined;
    if (cand > cur) {
      this.betterSince = undefined;
      this.worseSince ??= now;
      if (now - this.worseSince >= this.policy.raiseHoldMs) out = this.moveTo(candidate, now, reason);
    } else if (cand < cur) {
      this.worseSince = undefined;
      this.betterSince ??= now;
      if (now - this.betterSince >= this.policy.lowerHoldMs) out = this.moveTo(candidate, now, reason);
    } else {
      this.worseSince = this.betterSince = undefined;
    }
    if (this.state === 'operational' && candidate === 'operational') this.learnBaseline(now);
    if (STATE_INDEX[this.state] > STATE_INDEX[this.minuteWorst]) this.minuteWorst = this.state;
    return out;
  }

  /** Closes the minute: returns its worst state and starts the next one at the current state. */
  closeMinute(): ComponentState {
    const worst = this.minuteWorst;
    this.minuteWorst = this.state;
    return worst;
  }

  private moveTo(state: ComponentState, now: number, reason: string): Transition {
    const t: Transition = { from: this.state, to: state, at: now, reason };
    this.state = state;
    this.since = now;
    this.worseSince = this.betterSince = undefined;
    return t;
  }

  private candidate(now: number, w: WindowStats): { state: ComponentState; reason: string } {
    const p = this.policy;
    const pct = (r: number) => `${Math.round(r * 100)}%`;
    const minutes = p.windowMs / 60_000;
    const span = minutes === 1 ? 'the last minute' : `the last ${minutes} minutes`;
    if (w.requests >= p.minVolume) {
      const why = `${pct(w.errorRate)} of ${w.requests} requests failed in ${span}`;
      if (w.errors >= p.minErrors && w.errorRate >= p.majorErrorRate) return { state: 'major_outage', reason: why };
      if (w.errors >= p.minErrors && w.errorRate >= p.partialErrorRate) return { state: 'partial_outage', reason: why };
      const slow = this.slowness(now);
      if (slow) return { state: 'degraded_performance', reason: slow };
      return { state: 'operational', reason: `${pct(w.errorRate)} of ${w.requests} requests failed in ${span}` };
    }
    // Low volume (e.g. traffic routed away, only probes left): judge by the last few outcomes.
    const recent = this.recent.filter((r) => now - r.at <= p.streakLookbackMs);
    if (recent.length >= p.streak) {
      if (recent.every((r) => !r.ok)) return { state: 'major_outage', reason: `the last ${recent.length} requests failed` };
      if (recent.every((r) => r.ok)) return { state: 'operational', reason: `the last ${recent.length} requests succeeded` };
    }
    return { state: this.state, reason: 'not enough requests to judge' };
  }

  private slowness(now: number): string | undefined {
    const p = this.policy;
    for (const kind of ['stream', 'json'] as const) {
      const base = this.baseline[kind];
      if (base === undefined || this.baselineUpdates[kind] < p.baselineMinUpdates) continue;
      const hist = this.windowHist(now, kind);
      let n = 0;
      for (const c of hist) n += c;
      if (n < p.minVolume) continue;
      const median = histPercentile(hist, 0.5)!;
      if (median > Math.max(base * p.degradedFactor, base + p.degradedMinExtraMs)) {
        return `median ${kind === 'stream' ? 'time to first token' : 'response time'} ${median} ms against a usual ${Math.round(base)} ms`;
      }
    }
    return undefined;
  }

  private learnBaseline(now: number): void {
    const p = this.policy;
    for (const kind of ['stream', 'json'] as const) {
      const hist = this.windowHist(now, kind);
      let n = 0;
      for (const c of hist) n += c;
      if (n < p.minVolume) continue;
      const median = histPercentile(hist, 0.5)!;
      const prev = this.baseline[kind];
      this.baseline[kind] = prev === undefined ? median : prev + p.baselineAlpha * (median - prev);
      this.baselineUpdates[kind]++;
    }
  }

  private windowHist(now: number, kind: 'stream' | 'json'): number[] {
    const first = Math.floor((now - this.policy.windowMs) / this.policy.slotMs) + 1;
    const out = new Array<number>(TTFT_BUCKETS).fill(0);
    for (const s of this.slots) {
      if (s.index < first) continue;
      const h = s[kind];
      for (let i = 0; i < TTFT_BUCKETS; i++) out[i]! += h[i]!;
    }
    return out;
  }

  private slotFor(at: number): Slot {
    const index = Math.floor(at / this.policy.slotMs);
    for (let i = this.slots.length - 1; i >= 0; i--) if (this.slots[i]!.index === index) return this.slots[i]!;
    const slot: Slot = { index, requests: 0, errors: 0, stream: new Array<number>(TTFT_BUCKETS).fill(0), json: new Array<number>(TTFT_BUCKETS).fill(0) };
    this.slots.push(slot);
    if (this.slots.length > 64) this.slots.sort((a, b) => a.index - b.index).splice(0, this.slots.length - 64);
    return slot;
  }

  private dropOld(now: number): void {
    const first = Math.floor((now - this.policy.windowMs) / this.policy.slotMs) + 1;
    if (this.slots.some((s) => s.index < first)) this.slots = this.slots.filter((s) => s.index >= first);
  }
}

export function stateLabel(s: ComponentState): string {
  return { operational: 'operational', degraded_performance: 'degraded performance', partial_outage: 'partial outage', major_outage: 'major outage' }[s];
}

