/**
 * Counters behind per-key and per-team limits (issue #25 item 3), behind a narrow interface with
 * an in-memory adapter now and a Redis one with scale-out (issue #27). Every operation is one call
 * that a Redis adapter runs as one Lua script (one round trip, atomic across every subject of the
 * request), which is why reserve() takes all the rules at once and settle() carries what it must
 * know (reservedAt, the deltas) instead of asking the store to remember each reservation.
 *
 * Rates are per WINDOW_MS: an admitted request counts for at least WINDOW_MS, so no interval of
 * WINDOW_MS admits more than the limit; an adapter may count it a little longer (at most its
 * granularity), and then says so in retryAfterMs, which is always the real time until the same
 * request would be admitted if nothing else happened. Budgets are per calendar period in UTC.
 */
import type { Clock } from '../core/clock.js';
import type { BudgetPeriod, KeyLimits } from './key-store.js';
import type { StoreLog } from './redis/degraded-limit-store.js';
import type { RedisConnection } from './redis/redis-connection.js';

export const WINDOW_MS = 60_000;

/** One subject's limits: `key:<id>`, `team:<name>`. An absent limit is not enforced but still counted. */
export interface LimitRule extends KeyLimits {
  subject: string;
}

export type LimitKind = 'requests' | 'tokens' | 'concurrency' | 'budget';

export interface ReserveRequest {
  /** Unique per request (across instances): names the request's concurrency lease. */
  id: string;
  now: number;
  /** Every rule must admit; then every subject is charged. Nothing is charged on a refusal. */
  rules: readonly LimitRule[];
  tokens: number;
  costMicros: number;
  /** The lease ends by itself after this long if never settled (a crashed instance must not hold slots forever). */
  leaseMs: number;
}

/** One subject's counters. `*ResetMs`: until every count now in the window has left it. */
export interface SubjectUsage {
  subject: string;
  requests: number;
  requestsLimit?: number;
  requestsResetMs: number;
  tokens: number;
  tokensLimit?: number;
  tokensResetMs: number;
  concurrent: number;
  concurrencyLimit?: number;
  spentMicros: number;
  budgetMicros?: number;
  budgetPeriod?: BudgetPeriod;
  /** End of the current budget period (epoch ms), when a budget is set. */
  budgetResetAt?: number;
}

export interface ReserveResult {
  admitted: boolean;
  /** On refusal: the limit that is the last to clear (or that can never clear), and whose it is. */
  refusedBy?: { subject: string; limit: LimitKind; /** More than the limit allows at all (e.g. tokens > TPM). */ tooLarge: boolean };
  /**
   * On refusal: ms until this request would be admitted if nothing else happened. Absent when no
   * wait helps (tooLarge) or when it depends on other requests ending (concurrency alone).
   */
  retryAfterMs?: number;
  /** Per rule, in order, after this request (when admitted). */
  usage: SubjectUsage[];
}

export interface SettleRequest {
  /** The reservation's id: its concurrency lease ends. */
  id: string;
  now: number;
  /** The reservation's `now`: its window bucket and budget period get the deltas. */
  reservedAt: number;
  rules: readonly LimitRule[];
  /** Actual minus reserved; negative gives back what was not used. */
  tokensDelta: number;
  costDeltaMicros: number;
}

export interface LimitStore {
  reserve(req: ReserveRequest): Promise<ReserveResult>;
  /** Settle a reservation once. Deltas landing outside the window or the period are dropped. */
  settle(req: SettleRequest): Promise<void>;
  /** Read-only view, for the admin API's usage endpoint. */
  usage(rules: readonly LimitRule[], now: number): Promise<SubjectUsage[]>;
  close(): Promise<void>;
}

/**
 * A store whose every operation completes in one synchronous step (the in-memory one). The guard
 * calls these instead of reserve() and settle(): a promise per call showed on a CPU-bound gateway
 * (issue #25: keys and limits within 5% of the throughput without them).
 */
export interface ImmediateLimitStore extends LimitStore {
  reserveNow(req: ReserveRequest): ReserveResult;
  settleNow(req: SettleRequest): void;
}

export function isImmediate(store: LimitStore): store is ImmediateLimitStore {
  return 'reserveNow' in store;
}

export type LimitStoreOptions =
  | { kind: 'memory' }
  /**
   * Shared by every instance (issue #27), wrapped so it degrades to a per-instance share when Redis
   * is away (redis/degraded-limit-store.ts). `url` opens a connection of the store's own (closed
   * with it); `connection` uses the gateway's (its owner closes it).
   */
  | ({ kind: 'redis'; granularityMs?: number; clock?: Clock; log?: StoreLog; fallbackInstances?: number; heartbeatMs?: number } & ({ url: string; keyPrefix?: string } | { connection: RedisConnection }));

const DAY_MS = 86_400_000;

/**
 * The UTC calendar period holding `now`: a day from midnight, an ISO week from Monday, a month
 * from the 1st. Calendar periods because that is what "$10 a day" means to whoever set it.
 */
export function budgetPeriodBounds(period: BudgetPeriod, now: number): { start: number; end: number } {
  const day = Math.floor(now / DAY_MS);
  if (period === 'day') return { start: day * DAY_MS, end: (day + 1) * DAY_MS };
  if (period === 'week') {
    // 1970-01-01 was a Thursday: (day + 3) % 7 is days since Monday.
    const start = (day - ((day + 3) % 7)) * DAY_MS;
    return { start, end: start + 7 * DAY_MS };
  }
  const d = new Date(now);
  return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}
