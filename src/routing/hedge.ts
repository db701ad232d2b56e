/**
 * Hedged attempts (Dean & Barroso, "The Tail at Scale"): when the first attempt has produced no
 * first token after the route's p95, start one more on another target; the first to answer wins
 * and the loser is cancelled, so the upstream sees the abort and stops spending on it. Hedges
 * count against the retry budget (the loop's `next` withdraws from it). The race tells its loop
 * once: a winner, or a failure (the primary's before the hedge started, else the last racer's).
 */
import { Cancel } from '../core/cancel.js';
import type { Clock, TimerHandle } from '../core/clock.js';
import { toGatewayError, type GatewayError } from '../core/errors.js';
import type { Sink } from '../core/sink.js';
import type { Attempt, RunOptions } from './attempt.js';
import type { AttemptTimers } from './attempt-timers.js';
import type { Lease } from './lease.js';
import type { AttemptRecord } from './no-target-error.js';
import type { Target } from './route-table.js';
import { hedgeLostError } from './routing-errors.js';

/** Who hears how the race ended. */
export interface RaceOwner<T> {
  hedgeWon(value: T, lease: Lease, losers: AttemptRecord[]): void;
  hedgeFailed(e: unknown): void;
}

export class HedgeRace<T> {
  private readonly racers: Racer<T>[] = [];
  private timer: TimerHandle | undefined = undefined;
  private settled = false;
  private lastError: GatewayError | undefined = undefined;

  constructor(
    private readonly owner: RaceOwner<T>,
    private readonly attempt: Attempt<T>,
    private readonly clock: Clock,
    private readonly opts: RunOptions<T>,
    /** A lease for the hedge when its time comes, if a target and the budget allow one. */
    private readonly next: () => Lease | undefined,
    /** Each racer's timers. */
    private readonly timers: (t: Target) => AttemptTimers,
  ) {}

  start(primary: Lease, delayMs: number): void {
    this.timer = this.clock.setTimeout(hedgeDue, delayMs, this);
    this.run(primary);
  }

  /** @internal the hedge delay passed with no first token. */
  due(): void {
    this.timer = undefined;
    if (this.settled) return;
    const lease = this.next();
    if (lease) this.run(lease);
    else this.maybeFail();
  }

  private run(lease: Lease): void {
    const racer = new Racer(this, lease, new Cancel(this.opts.signal));
    this.racers.push(racer);
    try {
      this.attempt(lease.target, racer.ctrl, racer, this.timers(lease.target));
    } catch (e) {
      racer.failed(e);
    }
  }

  /** @internal */
  won(racer: Racer<T>, value: T): void {
    if (this.settled) {
      // Produced after another racer won: nobody will read it.
      this.opts.discard?.(value);
      racer.lease.settle({ ok: 'neutral' });
      return;
    }
    this.finish();
    const losers: AttemptRecord[] = [];
    for (const r of this.racers) {
      if (r === racer || r.lost) continue;
      const lost = hedgeLostError();
      r.ctrl.abort(lost);
      r.lease.settle({ ok: 'neutral' });
      losers.push({ target: r.lease.target.label, error: lost });
    }
    this.owner.hedgeWon(value, racer.lease, losers);
  }

  /** @internal */
  lost(racer: Racer<T>, e: unknown): void {
    if (this.settled) return;
    racer.lost = true;
    this.lastError = toGatewayError(e);
    racer.lease.settle({ ok: false, error: this.lastError });
    // The primary failed before the hedge timer: the loop's usual failover takes over.
    if (this.racers.length === 1 && this.timer !== undefined) {
      this.finish();
      this.owner.hedgeFailed(this.lastError);
      return;
    }
    this.maybeFail();
  }

  private maybeFail(): void {
    if (this.settled || this.timer !== undefined || !this.racers.every((r) => r.lost)) return;
    this.finish();
    this.owner.hedgeFailed(this.lastError);
  }

  private finish(): void {
    this.settled = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** One racing attempt: its lease, its own cancel (following the request's), and whether it failed. */
class Racer<T> implements Sink<T> {
  lost = false;

  constructor(
    private readonly race: HedgeRace<T>,
    readonly lease: Lease,
    readonly ctrl: Cancel,
  ) {}

  done(value: T): void {
    this.race.won(this, value);
  }

  failed(e: unknown): void {
    this.race.lost(this, e);
  }
}

function hedgeDue<T>(race: HedgeRace<T>): void {
  race.due();
}
