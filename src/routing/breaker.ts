/**
 * Circuit breaker per target: trips on consecutive failures or on a failure
 * rate over a window with a minimum volume; stays open for growing, jittered
 * durations; then lets a few probe requests through (half-open). Rate limits
 * don't count: a 429 throttles, it does not mean the target is broken.
 */
import type { Clock } from '../core/clock.js';
import type { BreakerRecord, BreakerState } from '../storage/breaker-store.js';

export type { BreakerState };

export interface BreakerOptions {
  consecutiveFailures: number;
  failureRate: number;
  minVolume: number;
  windowMs: number;
  openBaseMs: number;
  openMaxMs: number;
  halfOpenProbes: number;
  /** ± share of the open duration randomised, so many gateways don't probe in lockstep. */
  jitter: number;
}

export const DEFAULT_BREAKER: BreakerOptions = {
  consecutiveFailures: 5,
  failureRate: 0.5,
  minVolume: 20,
  windowMs: 10_000,
  openBaseMs: 5_000,
  openMaxMs: 60_000,
  halfOpenProbes: 2,
  jitter: 0.2,
};

const SLOT_MS = 1000;

export class CircuitBreaker {
  private consecutive = 0;
  private probesInFlight = 0;
  private probeSuccesses = 0;
  private readonly slots: { at: number; ok: number; fail: number }[];
  private readonly opts: BreakerOptions;
  /** Called on every state change (health, logs, slow start). */
  onChange: ((state: BreakerState) => void) | undefined;

  constructor(
    private readonly clock: Clock,
    opts: Partial<BreakerOptions> = {},
    private readonly random: () => number = Math.random,
    /** The state every instance shares (storage/breaker-store.ts); a private one when none is given. */
    private readonly record: BreakerRecord = { state: 'closed', openUntil: 0, opens: 0 },
    /** Told after each transition of `record`, to propagate it. */
    private readonly changed: () => void = () => {},
  ) {
    this.opts = { ...DEFAULT_BREAKER, ...opts };
    this.slots = Array.from({ length: Math.max(1, Math.ceil(this.opts.windowMs / SLOT_MS)) }, () => ({ at: -1, ok: 0, fail: 0 }));
  }

  get state(): BreakerState {
    return this.record.state;
  }

  /** How many times it opened since it last closed. */
  get opens(): number {
    return this.record.opens;
  }

  get openUntil(): number {
    return this.record.openUntil;
  }

  /** 'yes' (closed), 'probe' (a half-open trial: report its outcome), or 'no'. */
  allow(): 'yes' | 'probe' | 'no' {
    if (this.state === 'closed') return 'yes';
    if (this.state === 'open') {
      if (this.clock.now() < this.openUntil) return 'no';
      this.set('half_open');
      this.probesInFlight = 0;
      this.probeSuccesses = 0;
    }
    if (this.probesInFlight >= this.opts.halfOpenProbes) return 'no';
    this.probesInFlight++;
    return 'probe';
  }

  /** Probe attempts that could start now (Infinity when closed; 0 while open and not yet due). */
  probeSlots(): number {
    if (this.state === 'closed') return Infinity;
    if (this.state === 'open') return this.clock.now() >= this.openUntil ? this.opts.halfOpenProbes : 0;
    return Math.max(0, this.opts.halfOpenProbes - this.probesInFlight);
  }

  /** When the target can next be tried (for Retry-After when everything is open). */
  retryAt(): number {
    return this.state === 'open' ? this.openUntil : this.clock.now();
  }

  onSuccess(probe: boolean): void {
    this.consecutive = 0;
    this.slot().ok++;
    if (probe && this.state === 'half_open') {
      this.probesInFlight--;
      if (++this.probeSuccesses >= this.opts.halfOpenProbes) {
        this.reset();
        this.set('closed');
      }
    }
  }

  onFailure(probe: boolean): void {
    this.consecutive++;
    this.slot().fail++;
    if (this.state === 'half_open') {
      if (probe) this.probesInFlight--;
      this.trip();
      return;
    }
    if (this.state !== 'closed') return;
    const { ok, fail } = this.totals();
    if (this.consecutive >= this.opts.consecutiveFailures || (ok + fail >= this.opts.minVolume && fail / (ok + fail) >= this.opts.failureRate)) this.trip();
  }

  /** A probe that ended without a verdict (client went away, rate-limited). */
  onNeutral(probe: boolean): void {
    if (probe && this.state === 'half_open') this.probesInFlight--;
  }

  private trip(): void {
    const r = this.record;
    r.opens++;
    const base = Math.min(this.opts.openMaxMs, this.opts.openBaseMs * 2 ** (r.opens - 1));
    const spread = base * this.opts.jitter * (this.random() * 2 - 1);
    r.openUntil = this.clock.now() + Math.max(0, base + spread);
    this.set('open', true);
  }

  private reset(): void {
    this.consecutive = 0;
    for (const s of this.slots) s.at = -1;
    // Durations grow across consecutive failed probes; a successful recovery starts over.
    this.record.opens = 0;
  }

  /** A transition (`force`: a re-trip while open still moved openUntil and must be told). */
  private set(state: BreakerState, force = false): void {
    if (this.record.state === state && !force) return;
    const moved = this.record.state !== state;
    this.record.state = state;
    this.changed();
    if (moved) this.onChange?.(state);
  }

  private slot(): { at: number; ok: number; fail: number } {
    const at = Math.floor(this.clock.now() / SLOT_MS);
    const s = this.slots[at % this.slots.length]!;
    if (s.at !== at) {
      s.at = at;
      s.ok = 0;
      s.fail = 0;
    }
    return s;
  }

  private totals(): { ok: number; fail: number } {
    const now = Math.floor(this.clock.now() / SLOT_MS);
    let ok = 0;
    let fail = 0;
    for (const s of this.slots) {
      if (s.at > now - this.slots.length) {
        ok += s.ok;
        fail += s.fail;
      }
    }
    return { ok, fail };
  }
}
