/**
 * Redis LimitStore (issue #27): the per-key and per-team counters of every gateway instance in
 * one place, with the memory adapter's semantics (limit-store-contract.ts runs against both).
 * reserve() and settle() are one EVALSHA each (limit-scripts.ts): one round trip per request
 * and per settlement, atomic across all the request's subjects.
 *
 * Redis Cluster: a request's keys span subjects (key and team), so they may hash to different
 * slots; this adapter expects one Redis primary (replicas and Sentinel are fine). Amounts are
 * integers (tokens, micro-dollars); a fractional amount is rounded.
 */
import { budgetPeriodBounds, type LimitKind, type LimitRule, type LimitStore, type ReserveRequest, type ReserveResult, type SettleRequest, type SubjectUsage, WINDOW_MS } from '../limit-store.js';
import type { RedisConnection } from './redis-connection.js';
import { RESERVE, SETTLE, USAGE } from './limit-scripts.js';

const LIMITS: readonly LimitKind[] = ['requests', 'tokens', 'concurrency', 'budget'];
const USAGE_WIDTH = 6;

export interface RedisLimitStoreOptions {
  /** Bucket length; the window holds WINDOW_MS / granularityMs + 1 of them (default 1,000 ms, as in memory). */
  granularityMs?: number;
  /** Close the connection with the store (default: the caller owns it). */
  ownsConnection?: boolean;
}

export class RedisLimitStore implements LimitStore {
  private readonly g: number;
  private readonly slots: number;

  constructor(
    private readonly conn: RedisConnection,
    private readonly opts: RedisLimitStoreOptions = {},
  ) {
    this.g = opts.granularityMs ?? 1000;
    this.slots = Math.ceil(WINDOW_MS / this.g) + 1;
  }

  async reserve(req: ReserveRequest): Promise<ReserveResult> {
    const args: (string | number)[] = [req.now, this.g, this.slots, req.id, req.now + req.leaseMs, req.leaseMs + 1_000, int(req.tokens), int(req.costMicros)];
    for (const r of req.rules) {
      const period = r.budget ? budgetPeriodBounds(r.budget.period, req.now) : undefined;
      args.push(opt(r.requestsPerMinute), opt(r.tokensPerMinute), opt(r.concurrentRequests), opt(r.budget?.micros), period ? period.start : '', period ? period.end : '');
    }
    const out = (await this.conn.eval(RESERVE, this.keys(req.rules), args)) as number[];
    const usage = this.usageOf(req.rules, out, 5, req.now);
    if (out[0] === 1) return { admitted: true, usage };
    const rule = req.rules[out[1]! - 1]!;
    const result: ReserveResult = { admitted: false, refusedBy: { subject: rule.subject, limit: LIMITS[out[2]! - 1]!, tooLarge: out[3] === 1 }, usage };
    if (out[4]! >= 0) result.retryAfterMs = out[4]!;
    return result;
  }

  async settle(req: SettleRequest): Promise<void> {
    const args: (string | number)[] = [req.now, this.g, this.slots, req.id, req.reservedAt, int(req.tokensDelta), int(req.costDeltaMicros)];
    for (const r of req.rules) {
      if (r.budget) args.push(budgetPeriodBounds(r.budget.period, req.now).start, budgetPeriodBounds(r.budget.period, req.reservedAt).start);
      else args.push('', '');
    }
    await this.conn.eval(SETTLE, this.keys(req.rules), args);
  }

  async usage(rules: readonly LimitRule[], now: number): Promise<SubjectUsage[]> {
    if (rules.length === 0) return [];
    const args: (string | number)[] = [now, this.g, this.slots, ...rules.map((r) => (r.budget ? budgetPeriodBounds(r.budget.period, now).start : ''))];
    const out = (await this.conn.eval(USAGE, this.keys(rules), args)) as number[];
    return this.usageOf(rules, out, 0, now);
  }

  async close(): Promise<void> {
    if (this.opts.ownsConnection) await this.conn.close();
  }

  private keys(rules: readonly LimitRule[]): string[] {
    const out: string[] = [];
    for (const r of rules) {
      const base = this.conn.key(`lim:${r.subject}:`);
      out.push(`${base}w`, `${base}b`, `${base}l`);
    }
    return out;
  }

  private usageOf(rules: readonly LimitRule[], out: number[], at: number, now: number): SubjectUsage[] {
    return rules.map((rule, i) => {
      const o = at + i * USAGE_WIDTH;
      const u: SubjectUsage = { subject: rule.subject, requests: out[o]!, requestsResetMs: out[o + 1]!, tokens: out[o + 2]!, tokensResetMs: out[o + 3]!, concurrent: out[o + 4]!, spentMicros: rule.budget ? out[o + 5]! : 0 };
      if (rule.requestsPerMinute !== undefined) u.requestsLimit = rule.requestsPerMinute;
      if (rule.tokensPerMinute !== undefined) u.tokensLimit = rule.tokensPerMinute;
      if (rule.concurrentRequests !== undefined) u.concurrencyLimit = rule.concurrentRequests;
      if (rule.budget) {
        u.budgetMicros = rule.budget.micros;
        u.budgetPeriod = rule.budget.period;
        u.budgetResetAt = budgetPeriodBounds(rule.budget.period, now).end;
      }
      return u;
    });
  }
}

function opt(v: number | undefined): number | string {
  return v === undefined ? '' : v;
}

function int(v: number): number {
  return Math.round(v);
}
