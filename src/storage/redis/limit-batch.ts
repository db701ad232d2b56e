/**
 * One call of the LIMIT_BATCH script (limit-scripts.ts): the reservations, settlements and usage
 * reads of one event-loop turn, in the order they were asked for, with the rule table they share
 * (a rule is sent once however many requests carry it). When Redis answers, each caller gets its
 * own slice of the reply; when the call fails, every caller gets the error (the degraded store
 * decides per request, as with one call each).
 */
import { budgetPeriodBounds, type LimitKind, type LimitRule, type ReserveRequest, type ReserveResult, type SettleRequest, type SubjectUsage } from '../limit-store.js';

const DAY_MS = 86_400_000;
const LIMITS: readonly LimitKind[] = ['requests', 'tokens', 'concurrency', 'budget'];
const USAGE_WIDTH = 6;
const RESERVE = 1;
const SETTLE = 2;
const USAGE = 3;

type Kind = typeof RESERVE | typeof SETTLE | typeof USAGE;

/** A caller waiting for its operation's slice of the reply. */
class Waiter {
  resolve!: (v: unknown) => void;
  reject!: (e: unknown) => void;
  readonly done: Promise<unknown>;

  constructor(
    readonly kind: Kind,
    readonly rules: readonly LimitRule[],
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

export class LimitBatch {
  readonly keys: string[] = [];
  private readonly ruleArgs: (string | number)[] = [];
  private readonly opArgs: (string | number)[] = [];
  private readonly ruleNumbers = new Map<LimitRule, number>();
  /** Each budget rule's period, by rule: the same for every operation of the batch (one UTC day). */
  private readonly periods = new Map<LimitRule, { start: number; end: number }>();
  private readonly waiters: Waiter[] = [];

  constructor(
    /** The window bucket and UTC day every operation of the batch falls in. */
    readonly bucket: number,
    readonly day: number,
    private readonly keysOf: (subject: string) => readonly string[],
  ) {}

  get size(): number {
    return this.waiters.length;
  }

  reserve(req: ReserveRequest): Promise<ReserveResult> {
    // The lease's end goes as a string: it is written as is, as the lease's score.
    this.opArgs.push(RESERVE, req.now, req.id, String(req.now + req.leaseMs), req.leaseMs + 1_000, Math.round(req.tokens), Math.round(req.costMicros));
    return this.add(RESERVE, req.rules, req.now) as Promise<ReserveResult>;
  }

  settle(req: SettleRequest): Promise<void> {
    this.opArgs.push(SETTLE, req.now, req.id, req.reservedAt, Math.round(req.tokensDelta), Math.round(req.costDeltaMicros), req.rules.length);
    // Per rule, whether the budget period is still the reservation's: a straddling request stays counted where it started.
    const sameDay = Math.floor(req.reservedAt / DAY_MS) === this.day;
    for (const r of req.rules) this.opArgs.push(this.ruleNumber(r, req.now), sameDay || !r.budget || this.periods.get(r)!.start === budgetPeriodBounds(r.budget.period, req.reservedAt).start ? 1 : 0);
    return this.push(SETTLE, req.rules) as Promise<void>;
  }

  usage(rules: readonly LimitRule[], now: number): Promise<SubjectUsage[]> {
    this.opArgs.push(USAGE, now);
    return this.add(USAGE, rules, now) as Promise<SubjectUsage[]>;
  }

  /** The script's one argument: the header, the rule table, the operations, as JSON. */
  args(granularityMs: number, slots: number): string[] {
    return [JSON.stringify([granularityMs, slots, this.ruleNumbers.size, ...this.ruleArgs, ...this.opArgs])];
  }

  /** Hand each caller its slice of the script's reply (a JSON array of numbers). */
  resolve(reply: string): void {
    const out = JSON.parse(reply) as number[];
    let at = 0;
    for (const w of this.waiters) {
      if (w.kind === SETTLE) {
        w.resolve(undefined);
        continue;
      }
      if (w.kind === USAGE) {
        w.resolve(this.usageOf(w.rules, out, at));
        at += w.rules.length * USAGE_WIDTH;
        continue;
      }
      w.resolve(this.reserveResult(w.rules, out, at));
      at += 5 + w.rules.length * USAGE_WIDTH;
    }
  }

  reject(e: unknown): void {
    for (const w of this.waiters) w.reject(e);
  }

  private add(kind: Kind, rules: readonly LimitRule[], now: number): Promise<unknown> {
    this.opArgs.push(rules.length);
    for (const r of rules) this.opArgs.push(this.ruleNumber(r, now));
    return this.push(kind, rules);
  }

  private push(kind: Kind, rules: readonly LimitRule[]): Promise<unknown> {
    const w = new Waiter(kind, rules);
    this.waiters.push(w);
    return w.done;
  }

  /** The rule's place in the rule table (1-based), added on first use; its budget period is the batch's day's. */
  private ruleNumber(r: LimitRule, now: number): number {
    let j = this.ruleNumbers.get(r);
    if (j !== undefined) return j;
    j = this.ruleNumbers.size + 1;
    this.ruleNumbers.set(r, j);
    this.keys.push(...this.keysOf(r.subject));
    const period = r.budget ? budgetPeriodBounds(r.budget.period, now) : undefined;
    if (period) this.periods.set(r, period);
    // The period start goes as a string: the script compares it with the one stored.
    this.ruleArgs.push(opt(r.requestsPerMinute), opt(r.tokensPerMinute), opt(r.concurrentRequests), opt(r.budget?.micros), period ? String(period.start) : '', period ? period.end : '');
    return j;
  }

  private reserveResult(rules: readonly LimitRule[], out: number[], at: number): ReserveResult {
    const usage = this.usageOf(rules, out, at + 5);
    if (out[at] === 1) return { admitted: true, usage };
    const rule = rules[out[at + 1]! - 1]!;
    const result: ReserveResult = { admitted: false, refusedBy: { subject: rule.subject, limit: LIMITS[out[at + 2]! - 1]!, tooLarge: out[at + 3] === 1 }, usage };
    if (out[at + 4]! >= 0) result.retryAfterMs = out[at + 4]!;
    return result;
  }

  private usageOf(rules: readonly LimitRule[], out: number[], at: number): SubjectUsage[] {
    return rules.map((rule, i) => {
      const o = at + i * USAGE_WIDTH;
      const u: SubjectUsage = { subject: rule.subject, requests: out[o]!, requestsResetMs: out[o + 1]!, tokens: out[o + 2]!, tokensResetMs: out[o + 3]!, concurrent: out[o + 4]!, spentMicros: rule.budget ? out[o + 5]! : 0 };
      if (rule.requestsPerMinute !== undefined) u.requestsLimit = rule.requestsPerMinute;
      if (rule.tokensPerMinute !== undefined) u.tokensLimit = rule.tokensPerMinute;
      if (rule.concurrentRequests !== undefined) u.concurrencyLimit = rule.concurrentRequests;
      if (rule.budget) {
        u.budgetMicros = rule.budget.micros;
        u.budgetPeriod = rule.budget.period;
        u.budgetResetAt = this.periods.get(rule)!.end;
      }
      return u;
    });
  }
}

function opt(v: number | undefined): number | string {
  return v === undefined ? '' : v;
}
