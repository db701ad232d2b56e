/**
 * Retries, failovers and hedges together stay within a budget: `ratio` of the
 * first attempts seen in the last `windowMs`, plus a small floor per second so
 * a quiet gateway can still retry (Finagle's RetryBudget; Google SRE book,
 * "Handling Overload": retry budgets stop retries amplifying an outage).
 */
import type { Clock } from '../core/clock.js';

export interface RetryBudgetOptions {
  /** Share of first attempts that may be followed by an extra attempt. Default 0.1. */
  ratio: number;
  /** Extra attempts always allowed per second, whatever the traffic. Default 1. */
  floorPerSecond: number;
  /** Window over which first attempts earn budget. Default 10 s. */
  windowMs: number;
}

const SLOT_MS = 1000;

export class RetryBudget {
  private readonly slots: { at: number; first: number; extra: number }[];
  private readonly opts: RetryBudgetOptions;

  constructor(
    private readonly clock: Clock,
    opts: Partial<RetryBudgetOptions> = {},
  ) {
    this.opts = { ratio: opts.ratio ?? 0.1, floorPerSecond: opts.floorPerSecond ?? 1, windowMs: opts.windowMs ?? 10_000 };
    const n = Math.max(1, Math.ceil(this.opts.windowMs / SLOT_MS));
    this.slots = Array.from({ length: n }, () => ({ at: -1, first: 0, extra: 0 }));
  }

  private slot(): { at: number; first: number; extra: number } {
    const at = Math.floor(this.clock.now() / SLOT_MS);
    const s = this.slots[at % this.slots.length]!;
    if (s.at !== at) {
      s.at = at;
      s.first = 0;
      s.extra = 0;
    }
    return s;
  }

  private totals(): { first: number; extra: number } {
    const now = Math.floor(this.clock.now() / SLOT_MS);
    let first = 0;
    let extra = 0;
    for (const s of this.slots) {
      if (s.at > now - this.slots.length) {
        first += s.first;
        extra += s.extra;
      }
    }
    return { first, extra };
  }

  /** A client request made its first upstream attempt. */
  recordFirstAttempt(): void {
    this.slot().first++;
  }

  /** May one more retry/failover/hedge go out? Takes it from the budget if so. */
  tryWithdraw(): boolean {
    const { first, extra } = this.totals();
    const allowed = this.opts.ratio * first + this.opts.floorPerSecond * (this.slots.length * SLOT_MS / 1000);
    if (extra + 1 > allowed) return false;
    this.slot().extra++;
    return true;
  }
}
