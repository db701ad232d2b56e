/**
 * Hedged attempts (Dean & Barroso, "The Tail at Scale"): when the first attempt has produced no
 * first token after the target's p99 (at least hedge.min_after_ms), start one more on another
 * target; the first to answer wins and the loser is cancelled, so the upstream sees the abort and
 * stops spending on it. Hedges count against the retry budget (the owner's hedgeLease withdraws
 * from it).
 *
 * A hedge costs nothing until its delay passes: the attempt runs under a HedgeWatch (its own
 * cancel and one timer) that passes its outcome on as an ordinary attempt's. Only when the delay
 * passes with no first token, and a hedge may start, does the watch become a HedgeRace, which
 * tells its owner once: a winner, or a failure (the last racer's).
 */
import { Cancel } from '../core/cancel.js';
import type { Clock, TimerHandle } from '../core/clock.js';
import { toGatewayError, type GatewayError } from '../core/errors.js';
import type { Sink } from '../core/sink.js';
import type { Attempt, RunOptions } from './attempt.js';
import type { AttemptTimers } from './attempt-timers.js';
import { failure, type Lease } from './lease.js';
import type { AttemptRecord } from './no-target-error.js';
import type { Target } from './route-table.js';
import { hedgeLostError } from './routing-errors.js';

/** Who hears how the attempt, or the race it became, ended. */
export interface RaceOwner<T> extends Sink<T> {
  hedgeWon(value: T, lease: Lease, losers: AttemptRecord[]): void;
  hedgeFailed(e: unknown): void;
  /** A lease for the hedge, if a target and the budget allow one. */
  hedgeLease(): Lease | undefined;
  timersFor(t: Target): AttemptTimers;
}

/** An attempt that may be hedged: until its delay passes, an ordinary attempt under its own cancel. */
export class HedgeWatch<T> implements Sink<T> {
  private readonly ctrl: Cancel;
  private timer: TimerHandle | undefined = undefined;
  private race: HedgeRace<T> | undefined = undefined;
  private first: Racer | undefined = undefined;

  constructor(
    private readonly owner: RaceOwner<T>,
    private readonly attempt: Attempt<T>,
    private readonly clock: Clock,
    private readonly opts: RunOptions<T>,
    private readonly lease: Lease,
  ) {
    // The attempt's own cancel: a lost race aborts this attempt alone, the request's end aborts it too.
    this.ctrl = new Cancel(opts.signal);
  }

  start(delayMs: number): void {
    this.timer = this.clock.setTimeout(hedgeDue, delayMs, this);
    try {
      this.attempt(this.lease.target, this.ctrl, this, this.owner.timersFor(this.lease.target), this.lease);
    } catch (e) {
      this.failed(e);
    }
  }

  done(value: T): void {
    if (this.race) return this.race.won(this.first!, value);
    this.stopTimer();
    this.owner.done(value);
  }

  failed(e: unknown): void {
    if (this.race) return this.race.lost(this.first!, e);
    this.stopTimer();
    this.owner.failed(e);
  }

  /** @internal the delay passed with no first token: race one more target, if one may start. */
  due(): void {
    this.timer = undefined;
    const lease = this.owner.hedgeLease();
    if (!lease) return;
    this.first = new Racer(this.lease, this.ctrl);
    this.race = new HedgeRace(this.owner, this.attempt, this.opts, this.first);
    this.race.run(lease);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function hedgeDue<T>(w: HedgeWatch<T>): void {
  w.due();
}

/** The attempt and its hedge, racing: the first answer wins. */
class HedgeRace<T> {
  private readonly racers: Racer[];
  private settled = false;
  private lastError: GatewayError | undefined = undefined;

  constructor(
    private readonly owner: RaceOwner<T>,
    private readonly attempt: Attempt<T>,
    private readonly opts: RunOptions<T>,
    first: Racer,
  ) {
    this.racers = [first];
  }

  run(lease: Lease): void {
    const racer = new Racer(lease, new Cancel(this.opts.signal));
    this.racers.push(racer);
    const sink: Sink<T> = { done: (v) => this.won(racer, v), failed: (e) => this.lost(racer, e) };
    try {
      this.attempt(lease.target, racer.ctrl, sink, this.owner.timersFor(lease.target), lease);
    } catch (e) {
      this.lost(racer, e);
    }
  }

  won(racer: Racer, value: T): void {
    if (this.settled) {
      // Produced after another racer won: nobody will read it.
      this.opts.discard?.(value);
      racer.lease.settle({ ok: 'neutral' });
      return;
    }
    this.settled = true;
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

  lost(racer: Racer, e: unknown): void {
    if (this.settled || racer.lost) return;
    racer.lost = true;
    this.lastError = toGatewayError(e);
    racer.lease.settle(failure(this.lastError));
    if (!this.racers.every((r) => r.lost)) return;
    this.settled = true;
    this.owner.hedgeFailed(this.lastError);
  }
}

/** One racing attempt: its lease, its own cancel (following the request's), and whether it failed. */
class Racer {
  lost = false;

  constructor(
    readonly lease: Lease,
    readonly ctrl: Cancel,
  ) {}
}
