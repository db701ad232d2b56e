/**
 * Limits that survive Redis going away (issue #27: "every instance keeps serving; limits fall back
 * to a documented per-instance share; the degradation is visible; state converges when Redis
 * returns. Never silently the full limit per process.").
 *
 * While Redis answers, every call goes to the shared store. When a call fails, this instance
 * turns degraded (logged once) and counts in memory, each limit divided by the live instances
 * (instance-registry.ts: the last count read, or the configured fallback when none was):
 *   - requests, tokens per minute and concurrency: floor(limit / n), at least 1 (a limit of 0 stays 0);
 *   - a budget: floor((budget - spent) / n), `spent` as last read from Redis for this period, so a
 *     key that had spent 90% keeps sharing the remaining 10%, not a fresh budget per instance.
 * Every second or so, a request tries Redis again; the first that succeeds ends the degradation
 * (logged once) and the spend counted meanwhile is added to the shared budgets, so all instances
 * agree again. Reservations made in memory are settled in memory; a settlement that Redis cannot
 * take is dropped (its lease ends by itself; its token and cost correction is lost, and counted).
 */
import type { Clock } from '../../core/clock.js';
import type { LimitRule, LimitStore, ReserveRequest, ReserveResult, SettleRequest, SubjectUsage } from '../limit-store.js';
import { budgetPeriodBounds } from '../limit-store.js';
import { MemoryLimitStore } from '../memory/memory-limit-store.js';
import type { InstanceCount } from './instance-registry.js';

/** pino's shape, so the gateway's logger fits without storage knowing it. */
export interface StoreLog {
  warn(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
}

export interface DegradedLimitStoreOptions {
  clock: Clock;
  /** The live instances, for the share (InstanceRegistry.current). */
  instances: () => InstanceCount;
  log?: StoreLog;
  /** Least time between two tries of Redis while degraded (default 1,000 ms). */
  retryEveryMs?: number;
  /** Closed with this store. */
  onClose?: () => Promise<void>;
}

export class DegradedLimitStore implements LimitStore {
  private isDegraded = false;
  private lastTryAt = -Infinity;
  private local = new MemoryLimitStore();
  /** Reservations admitted in memory, by id: settled where they were made. */
  private readonly localIds = new Map<string, MemoryLimitStore>();
  /** Last spend read from Redis per subject: `${periodStart}` and micros. */
  private readonly lastSpent = new Map<string, { start: number; resetAt: number; micros: number }>();
  /** Spend admitted in memory while degraded, per subject and period, added to Redis on recovery. */
  private readonly pendingSpend = new Map<string, { rule: LimitRule; start: number; micros: number }>();
  /** Settlements Redis could not take (visible in status and metrics). */
  droppedSettlements = 0;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly shared: LimitStore,
    private readonly opts: DegradedLimitStoreOptions,
  ) {}

  /** Counting per instance because Redis is away. */
  get degraded(): boolean {
    return this.isDegraded;
  }

  /** The live instances that divide the limits while degraded (for status and metrics). */
  get instances(): InstanceCount {
    return this.opts.instances();
  }

  async reserve(req: ReserveRequest): Promise<ReserveResult> {
    if (this.tryShared(req.now)) {
      try {
        const r = await this.shared.reserve(req);
        this.remember(req.rules, r.usage);
        if (this.isDegraded) this.recover(req.now);
        return r;
      } catch (e) {
        this.degrade(e, req.now);
      }
    }
    const share = this.opts.instances();
    const store = this.local;
    const rules = req.rules.map((r) => this.shareOf(r, share.count, req.now));
    const r = await store.reserve({ ...req, rules });
    if (r.admitted) {
      this.localIds.set(req.id, store);
      this.addPending(req.rules, req.now, req.costMicros);
    }
    return r;
  }

  async settle(req: SettleRequest): Promise<void> {
    const store = this.localIds.get(req.id);
    if (store) {
      this.localIds.delete(req.id);
      const share = this.opts.instances();
      await store.settle({ ...req, rules: req.rules.map((r) => this.shareOf(r, share.count, req.reservedAt)) });
      this.addPending(req.rules, req.reservedAt, req.costDeltaMicros);
      return;
    }
    if (this.isDegraded) {
      this.droppedSettlements++;
      return;
    }
    try {
      await this.shared.settle(req);
    } catch (e) {
      this.droppedSettlements++;
      this.degrade(e, req.now);
    }
  }

  async usage(rules: readonly LimitRule[], now: number): Promise<SubjectUsage[]> {
    if (this.tryShared(now)) {
      try {
        const u = await this.shared.usage(rules, now);
        if (this.isDegraded) this.recover(now);
        return u;
      } catch (e) {
        this.degrade(e, now);
      }
    }
    const n = this.opts.instances().count;
    return this.local.usage(rules.map((r) => this.shareOf(r, n, now)), now);
  }

  /** Once; later calls wait for the first (the guard and the gateway may both close it). */
  close(): Promise<void> {
    return (this.closing ??= this.closeOnce());
  }

  private async closeOnce(): Promise<void> {
    await this.local.close();
    await this.shared.close();
    await this.opts.onClose?.();
  }

  /** Whether this call goes to Redis: always when healthy, once per retryEveryMs when degraded. */
  private tryShared(now: number): boolean {
    if (!this.isDegraded) return true;
    if (now - this.lastTryAt < (this.opts.retryEveryMs ?? 1_000)) return false;
    this.lastTryAt = now;
    return true;
  }

  private degrade(e: unknown, now: number): void {
    this.lastTryAt = now;
    if (this.isDegraded) return;
    this.isDegraded = true;
    this.local = new MemoryLimitStore();
    const share = this.opts.instances();
    this.opts.log?.warn(
      { err: (e as Error)?.message ?? String(e), instances: share.count, instancesSource: share.source },
      `limits: Redis is unreachable; each instance now enforces 1/${share.count} of every limit in memory (${share.source === 'live' ? 'live instance count' : share.source === 'last-known' ? 'last known instance count' : 'storage.fallback_instances, no count was ever read'})`,
    );
  }

  private recover(now: number): void {
    this.isDegraded = false;
    const pending = [...this.pendingSpend.values()];
    this.pendingSpend.clear();
    this.opts.log?.info({ replayedBudgets: pending.length }, 'limits: Redis is back; limits are shared again');
    // The spend counted meanwhile joins the shared budgets (only where its period is still current).
    for (const p of pending) {
      if (budgetPeriodBounds(p.rule.budget!.period, now).start !== p.start || p.micros === 0) continue;
      void this.shared.settle({ id: 'degraded-replay', now, reservedAt: now, rules: [p.rule], tokensDelta: 0, costDeltaMicros: p.micros }).catch(() => this.droppedSettlements++);
    }
  }

  private remember(rules: readonly LimitRule[], usage: readonly SubjectUsage[]): void {
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      const u = usage[i];
      if (!r.budget || u?.budgetResetAt === undefined) continue;
      const seen = this.lastSpent.get(r.subject);
      if (seen && seen.resetAt === u.budgetResetAt) seen.micros = u.spentMicros;
      else this.lastSpent.set(r.subject, { start: budgetPeriodBounds(r.budget.period, u.budgetResetAt - 1).start, resetAt: u.budgetResetAt, micros: u.spentMicros });
    }
  }

  private addPending(rules: readonly LimitRule[], at: number, micros: number): void {
    if (micros === 0) return;
    for (const r of rules) {
      if (!r.budget) continue;
      const start = budgetPeriodBounds(r.budget.period, at).start;
      const k = `${r.subject}\n${start}`;
      const p = this.pendingSpend.get(k) ?? { rule: { subject: r.subject, budget: r.budget }, start, micros: 0 };
      p.micros += micros;
      this.pendingSpend.set(k, p);
    }
  }

  /** This instance's share of `rule` among `n` instances. */
  private shareOf(rule: LimitRule, n: number, now: number): LimitRule {
    const out: LimitRule = { subject: rule.subject };
    if (rule.requestsPerMinute !== undefined) out.requestsPerMinute = part(rule.requestsPerMinute, n);
    if (rule.tokensPerMinute !== undefined) out.tokensPerMinute = part(rule.tokensPerMinute, n);
    if (rule.concurrentRequests !== undefined) out.concurrentRequests = part(rule.concurrentRequests, n);
    if (rule.budget) {
      const start = budgetPeriodBounds(rule.budget.period, now).start;
      const seen = this.lastSpent.get(rule.subject);
      const spent = seen && seen.start === start ? seen.micros : 0;
      out.budget = { period: rule.budget.period, micros: Math.max(0, Math.floor((rule.budget.micros - spent) / n)) };
    }
    return out;
  }
}

function part(limit: number, n: number): number {
  return limit < 1 ? limit : Math.max(1, Math.floor(limit / n));
}
