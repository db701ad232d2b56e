/**
 * In-memory LimitStore: the counters of one gateway instance. Every operation completes in one
 * synchronous step (the event loop makes it atomic, as a Lua script does in Redis). Budgets held
 * here start again from zero when the process restarts; a shared, durable store comes with
 * scale-out (issue #27).
 */
import type { BudgetPeriod } from '../key-store.js';
import { budgetPeriodBounds, type ImmediateLimitStore, type LimitKind, type LimitRule, type ReserveRequest, type ReserveResult, type SettleRequest, type SubjectUsage } from '../limit-store.js';
import { WindowCounter } from './window-counter.js';

class SubjectState {
  readonly window: WindowCounter;
  /** Concurrency leases: reservation id -> expiry. */
  readonly leases = new Map<string, number>();
  /** The budget period counted in spentMicros, [periodStart, periodEnd): worked out again only when `now` leaves it. */
  period: BudgetPeriod | undefined = undefined;
  periodStart = -1;
  periodEnd = -1;
  spentMicros = 0;

  constructor(granularityMs: number) {
    this.window = new WindowCounter(granularityMs);
  }

  /** Bring the window and the budget period to `now`. */
  advance(rule: LimitRule, now: number): void {
    this.window.advance(now);
    const budget = rule.budget;
    if (budget && (budget.period !== this.period || now < this.periodStart || now >= this.periodEnd)) {
      const { start, end } = budgetPeriodBounds(budget.period, now);
      if (start !== this.periodStart) this.spentMicros = 0;
      this.period = budget.period;
      this.periodStart = start;
      this.periodEnd = end;
    }
  }

  concurrent(now: number): number {
    for (const [id, until] of this.leases) if (until <= now) this.leases.delete(id);
    return this.leases.size;
  }
}

interface Verdict {
  limit: LimitKind;
  /** undefined: no wait helps, or unknown. */
  waitMs: number | undefined;
  tooLarge: boolean;
}

export class MemoryLimitStore implements ImmediateLimitStore {
  private readonly subjects = new Map<string, SubjectState>();

  constructor(private readonly granularityMs = 1000) {}

  async reserve(req: ReserveRequest): Promise<ReserveResult> {
    return this.reserveNow(req);
  }

  async settle(req: SettleRequest): Promise<void> {
    this.settleNow(req);
  }

  reserveNow(req: ReserveRequest): ReserveResult {
    let worst: (Verdict & { subject: string }) | undefined;
    const states: SubjectState[] = [];
    for (const rule of req.rules) {
      const s = this.state(rule.subject);
      s.advance(rule, req.now);
      states.push(s);
      for (const v of this.check(rule, s, req)) if (!worst || worse(v, worst)) worst = { ...v, subject: rule.subject };
    }
    if (worst) {
      const out: ReserveResult = { admitted: false, refusedBy: { subject: worst.subject, limit: worst.limit, tooLarge: worst.tooLarge }, usage: req.rules.map((r, i) => usageOf(r, states[i]!, req.now)) };
      if (worst.waitMs !== undefined) out.retryAfterMs = worst.waitMs;
      return out;
    }
    for (const s of states) {
      s.window.add(req.now, 1, req.tokens);
      s.spentMicros += req.costMicros;
      s.leases.set(req.id, req.now + req.leaseMs);
    }
    return { admitted: true, usage: req.rules.map((r, i) => usageOf(r, states[i]!, req.now)) };
  }

  settleNow(req: SettleRequest): void {
    for (const rule of req.rules) {
      const s = this.subjects.get(rule.subject);
      if (!s) continue;
      s.leases.delete(req.id);
      s.advance(rule, req.now);
      if (req.tokensDelta !== 0) s.window.adjustTokens(req.reservedAt, req.tokensDelta);
      // A request that straddles a period boundary stays counted in the period it started in.
      if (rule.budget && req.costDeltaMicros !== 0 && req.reservedAt >= s.periodStart && req.reservedAt < s.periodEnd) {
        s.spentMicros = Math.max(0, s.spentMicros + req.costDeltaMicros);
      }
    }
  }

  async usage(rules: readonly LimitRule[], now: number): Promise<SubjectUsage[]> {
    return rules.map((r) => {
      const s = this.subjects.get(r.subject) ?? new SubjectState(this.granularityMs);
      s.advance(r, now);
      s.concurrent(now);
      return usageOf(r, s, now);
    });
  }

  async close(): Promise<void> {
    this.subjects.clear();
  }

  private state(subject: string): SubjectState {
    let s = this.subjects.get(subject);
    if (!s) this.subjects.set(subject, (s = new SubjectState(this.granularityMs)));
    return s;
  }

  /** Every limit of `rule` this request would break, with how long until it would not. */
  private check(rule: LimitRule, s: SubjectState, req: ReserveRequest): Verdict[] {
    const out: Verdict[] = [];
    const w = s.window;
    const rpm = rule.requestsPerMinute;
    if (rpm !== undefined && w.requests + 1 > rpm) {
      out.push(rpm < 1 ? { limit: 'requests', waitMs: undefined, tooLarge: true } : { limit: 'requests', waitMs: w.waitFor(req.now, w.requests + 1 - rpm, 'requests'), tooLarge: false });
    }
    const tpm = rule.tokensPerMinute;
    if (tpm !== undefined && w.tokens + req.tokens > tpm) {
      out.push(req.tokens > tpm ? { limit: 'tokens', waitMs: undefined, tooLarge: true } : { limit: 'tokens', waitMs: w.waitFor(req.now, w.tokens + req.tokens - tpm, 'tokens'), tooLarge: false });
    }
    const max = rule.concurrentRequests;
    if (max !== undefined && (s.leases.size >= max ? s.concurrent(req.now) >= max : false)) {
      out.push({ limit: 'concurrency', waitMs: undefined, tooLarge: max < 1 });
    }
    // Admitted while anything is left: the request that crosses the budget runs, the next does not,
    // so spend ends at most one request's reserved cost beyond it.
    if (rule.budget && s.spentMicros >= rule.budget.micros) {
      out.push({ limit: 'budget', waitMs: s.periodEnd - req.now, tooLarge: false });
    }
    return out;
  }
}

/** Can never clear beats any wait; a known wait beats an unknown one; then the longer wait. */
function worse(a: Verdict, b: Verdict): boolean {
  if (a.tooLarge !== b.tooLarge) return a.tooLarge;
  if (a.waitMs === undefined || b.waitMs === undefined) return b.waitMs === undefined && a.waitMs !== undefined;
  return a.waitMs > b.waitMs;
}

/** Every field in one literal (absent limits as undefined): one object shape for every subject. */
function usageOf(rule: LimitRule, s: SubjectState, now: number): SubjectUsage {
  const w = s.window;
  const budget = rule.budget;
  return {
    subject: rule.subject,
    requests: w.requests,
    requestsLimit: rule.requestsPerMinute,
    requestsResetMs: w.resetMs(now, 'requests'),
    tokens: w.tokens,
    tokensLimit: rule.tokensPerMinute,
    tokensResetMs: w.resetMs(now, 'tokens'),
    concurrent: s.leases.size,
    concurrencyLimit: rule.concurrentRequests,
    spentMicros: budget ? s.spentMicros : 0,
    budgetMicros: budget?.micros,
    budgetPeriod: budget?.period,
    budgetResetAt: budget ? s.periodEnd : undefined,
  };
}
