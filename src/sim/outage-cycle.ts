/**
 * OutageCycle: a recurring, gentle outage on one simulator, so the demo's
 * status page has something to show (issue 5, item 6). Calm until
 * `firstAtMs`, then `outageMs` of faults, then calm again; every `periodMs`
 * (start to start) the outage repeats. The schedule is a pure function of the
 * elapsed time (outagePhase), and timers run on an injected Clock, so tests
 * drive it with ManualClock instead of sleeping.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import type { FaultRule } from './faults.js';

export interface OutageTimings {
  /** Calm time after start() before the first outage. */
  firstAtMs: number;
  /** How long each outage lasts. */
  outageMs: number;
  /** From one outage's start to the next one's (must exceed outageMs). */
  periodMs: number;
}

/**
 * Demo defaults, sized against DEFAULT_HEALTH_POLICY (60 s window, 30 s raise
 * hold, 2 min lower hold, 5 min resolve): the incident opens ~35-45 s after the
 * outage starts (so within the first minute of the demo), the component is back
 * to operational 2-3 min after the outage ends and the incident resolves 5 min
 * later; the 12 min period leaves room for that before the next outage, so each
 * cycle shows one incident from open to resolved instead of one that never ends.
 */
export const DEMO_OUTAGE_TIMINGS: Readonly<OutageTimings> = { firstAtMs: 5_000, outageMs: 90_000, periodMs: 12 * 60_000 };

/**
 * Mostly 503s (what OpenAI answered on 2024-06-04 and 2024-12-11), some streams
 * cut after a few chunks (the gateway resumes them elsewhere) and a few slow
 * first bytes. Checked in order, each with its own chance: about 70% of
 * requests fail, the rest get through, as in a real partial recovery.
 * `cut-after` only affects streamed answers; a JSON answer that draws it succeeds.
 */
export const DEMO_OUTAGE_FAULTS: readonly FaultRule[] = [
  { fault: { kind: 'cut-after', after: 3 }, fraction: 0.15 },
  { fault: { kind: 'stall-before-first-byte', ms: 3_000 }, fraction: 0.1 },
  { fault: { kind: 'status', status: 503 }, fraction: 0.8 },
];

/** What the cycle needs of a simulator: its fault schedule (SimServer.faults). */
export interface FaultTarget {
  set(rules: FaultRule[]): void;
  list(): FaultRule[];
}

export interface OutagePhase {
  inOutage: boolean;
  /** 0-based number of the current or most recent outage; -1 before the first. */
  cycle: number;
  /** Time until the phase changes. */
  nextChangeInMs: number;
}

/** Which phase the schedule is in `elapsedMs` after start (an outage includes its start instant). */
export function outagePhase(t: OutageTimings, elapsedMs: number): OutagePhase {
  if (elapsedMs < t.firstAtMs) return { inOutage: false, cycle: -1, nextChangeInMs: t.firstAtMs - elapsedMs };
  const cycle = Math.floor((elapsedMs - t.firstAtMs) / t.periodMs);
  const into = elapsedMs - t.firstAtMs - cycle * t.periodMs;
  return into < t.outageMs ? { inOutage: true, cycle, nextChangeInMs: t.outageMs - into } : { inOutage: false, cycle, nextChangeInMs: t.periodMs - into };
}

export function validateOutageTimings(t: OutageTimings): void {
  const ok = (n: number) => Number.isFinite(n) && n >= 0;
  if (!ok(t.firstAtMs) || !ok(t.outageMs) || !ok(t.periodMs) || t.outageMs <= 0 || t.periodMs <= t.outageMs) {
    throw new RangeError(`outage timings need firstAtMs >= 0 and 0 < outageMs < periodMs (got ${JSON.stringify(t)})`);
  }
}

export interface OutageCycleOptions {
  clock: Clock;
  timings?: OutageTimings;
  faults?: readonly FaultRule[];
  /** Told at every phase change (the demo prints a line). */
  onChange?: (phase: OutagePhase, elapsedMs: number) => void;
}

export class OutageCycle {
  private readonly timings: OutageTimings;
  private readonly faults: FaultRule[];
  private timer: TimerHandle | undefined;
  private startedAt = 0;
  private running = false;
  private active = false;

  constructor(
    private readonly target: FaultTarget,
    private readonly opts: OutageCycleOptions,
  ) {
    this.timings = { ...(opts.timings ?? DEMO_OUTAGE_TIMINGS) };
    validateOutageTimings(this.timings);
    this.faults = (opts.faults ?? DEMO_OUTAGE_FAULTS).map((r) => structuredClone(r));
  }

  /** True while this cycle's faults are on the target. */
  get inOutage(): boolean {
    return this.active;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = this.opts.clock.now();
    this.step();
  }

  /** Stop the timers and lift an outage in progress, leaving the simulator healthy. */
  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.active) this.lift();
  }

  private step(): void {
    if (!this.running) return;
    const elapsed = this.opts.clock.now() - this.startedAt;
    const phase = outagePhase(this.timings, elapsed);
    if (phase.inOutage !== this.active) {
      if (phase.inOutage) this.impose();
      else this.lift();
      this.opts.onChange?.(phase, elapsed);
    }
    this.timer = this.opts.clock.setTimeout(() => this.step(), phase.nextChangeInMs);
  }

  /**
   * Someone may have set faults by hand (the demo prints a PUT /_sim/faults
   * command): an outage does not overwrite theirs, and the end of one only
   * clears what this cycle put there.
   */
  private impose(): void {
    this.active = true;
    if (this.target.list().length === 0) this.target.set(this.faults.map((r) => structuredClone(r)));
  }

  private lift(): void {
    this.active = false;
    if (JSON.stringify(this.target.list()) === JSON.stringify(this.faults)) this.target.set([]);
  }
}
