/**
 * Retries, failovers and hedges together stay within a budget: `ratio` of the
 * first attempts seen in the last `windowMs`, plus a small floor per second so
 * a quiet gateway can still retry (Finagle's RetryBudget; Google SRE book,
 * "Handling Overload": retry budgets stop retries amplifying an outage).
 */
import type { Clock } from '../core/clock.js';
import type { CounterStore, SlotCounts } from '../storage/counter-store.js';
import { MemoryCounterStore } from '../storage/memory/memory-counter-store.js';

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
  private readonly opts: RetryBudgetOptions;
  private readonly span: number;
  private readonly first: SlotCounts;
  private readonly extra: SlotCounts;

  constructor(
    private readonly clock: Clock,
    opts: Partial<RetryBudgetOptions> = {},
    /** Where the counts live (shared across instances with a shared store); a private one when none is given. */
    counters: CounterStore = new MemoryCounterStore(),
    key = 'budget',
  ) {
    this.opts = { ratio: opts.ratio ?? 0.1, floorPerSecond: opts.floorPerSecond ?? 1, windowMs: opts.windowMs ?? 10_000 };
    this.span = Math.max(1, Math.ceil(this.opts.windowMs / SLOT_MS));
    this.first = counters.window(`${key}:first`, this.span);
    this.extra = counters.window(`${key}:extra`, this.span);
  }

  /** A client request made its first upstream attempt. */
  recordFirstAttempt(): void {
    this.first.add(Math.floor(this.clock.now() / SLOT_MS), 1);
  }

  /** May one more retry/failover/hedge go out? Takes it from the budget if so. */
  tryWithdraw(): boolean {
    const now = Math.floor(this.clock.now() / SLOT_MS);
    const from = now - this.span + 1;
    const allowed = this.opts.ratio * this.first.sum(from, now) + this.opts.floorPerSecond * ((this.span * SLOT_MS) / 1000);
    if (this.extra.sum(from, now) + 1 > allowed) return false;
    this.extra.add(now, 1);
    return true;
  }
}
