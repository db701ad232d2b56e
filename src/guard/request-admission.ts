/**
 * What one request holds from the guard: an Admission from admit() (who it is, its priority, its
 * slot in flight) and, once the body is read, a Reservation of its tokens and cost. Plain objects
 * pointing at the shared GuardCore; no closures, no timers per request (STYLE.md, hot path).
 */
import type { GatewayError } from '../core/errors.js';
import type { ReserveRequest, ReserveResult } from '../storage/limit-store.js';
import { aliasNotAllowed, budgetExhausted, exceedsLimit, rateLimited } from './errors.js';
import type { GuardCore } from './guard-core.js';
import type { CachedKey } from './key-cache.js';
import { addRateLimitHeaders } from './rate-headers.js';
import { Reservation } from './reservation.js';

/** A refusal: the error for the client's format, and headers to send with it. */
export class Refusal {
  constructor(
    readonly error: GatewayError,
    readonly headers: Record<string, string>,
  ) {}
}

/** Told once what Admission.reserve() decided. Must not throw: the store's answer has no one to pass it to. */
export interface ReserveSink {
  reserved(outcome: Reservation | Refusal): void;
}

export interface ReserveInput {
  /** The model alias the client asked for. */
  alias: string;
  /** Upstream model ids of the alias's targets, for pricing: the dearest is reserved, since failover may reach it. */
  targetModels: readonly string[];
  /** Input tokens estimated from the request (src/core/token-estimate.ts). */
  estimatedInputTokens: number;
  /** The request's max_tokens (or equivalent); absent = guard.estimated_output_tokens. */
  maxOutputTokens?: number;
}

/** Headers every refusal carries: the precise wait for SDKs that read it (OpenAI's read retry-after-ms first). */
export function refusalHeaders(error: GatewayError, noRetry: boolean): Record<string, string> {
  const h: Record<string, string> = {};
  if (error.retryAfterMs !== undefined) h['retry-after-ms'] = String(Math.ceil(error.retryAfterMs));
  // The SDKs retry 429/503 by themselves; where waiting cannot help (or would pile onto an overloaded gateway), say so.
  if (noRetry) h['x-should-retry'] = 'false';
  return h;
}

export class Admission {
  private released = false;
  /** The reservation not yet settled, settled conservatively by release() if the caller never did. */
  pending: Reservation | undefined;

  constructor(
    readonly core: GuardCore,
    /** The authenticated key; undefined under auth: none. */
    readonly key: CachedKey | undefined,
    /** Index of the priority class. */
    readonly priorityIndex: number,
  ) {}

  get keyId(): string | undefined {
    return this.key?.record.id;
  }

  get keyName(): string | undefined {
    return this.key?.record.name;
  }

  get team(): string | undefined {
    return this.key?.record.team;
  }

  get priority(): string {
    return this.core.control.priorities[this.priorityIndex]!.name;
  }

  /**
   * After the body is read: check the alias and reserve the request's tokens and cost against
   * the key's and team's limits, and tell `to` the outcome: at once with the in-memory store, once
   * the store answers with a shared one. Never fails: a failing limit store admits (and is
   * reported through onError), because losing the counters must not take the gateway down with them.
   */
  reserve(input: ReserveInput, to: ReserveSink): void {
    const core = this.core;
    const key = this.key;
    const output = input.maxOutputTokens ?? core.settings.estimatedOutputTokens;
    const inputTokens = Math.max(0, Math.ceil(input.estimatedInputTokens));
    if (!key) return to.reserved(new Reservation(this, '', 0, inputTokens, output, 0, undefined));
    if (key.aliases && !key.aliases.has(input.alias)) {
      const e = aliasNotAllowed(input.alias, key.prefix);
      return to.reserved(new Refusal(e, refusalHeaders(e, true)));
    }
    let cost = 0;
    for (const m of input.targetModels) cost = Math.max(cost, core.prices.costMicros(m, inputTokens, output));
    const req: ReserveRequest = { id: core.nextReservationId(), now: core.clock.now(), rules: key.rules, tokens: inputTokens + output, costMicros: cost, leaseMs: core.settings.leaseMs };
    if (!core.immediate) return void this.reserveShared(req, inputTokens, output, to);
    let result: ReserveResult;
    try {
      result = core.immediate.reserveNow(req);
    } catch (e) {
      core.onError(e, 'limit store reserve');
      return to.reserved(new Reservation(this, '', 0, inputTokens, output, 0, undefined));
    }
    to.reserved(this.outcome(req, result, inputTokens, output));
  }

  private async reserveShared(req: ReserveRequest, inputTokens: number, output: number, to: ReserveSink): Promise<void> {
    let result: ReserveResult;
    try {
      result = await this.core.limits.reserve(req);
    } catch (e) {
      this.core.onError(e, 'limit store reserve');
      return to.reserved(new Reservation(this, '', 0, inputTokens, output, 0, undefined));
    }
    to.reserved(this.outcome(req, result, inputTokens, output));
  }

  private outcome(req: ReserveRequest, result: ReserveResult, inputTokens: number, output: number): Reservation | Refusal {
    if (!result.admitted) return this.refusal(result, req.tokens);
    const r = new Reservation(this, req.id, req.now, inputTokens, output, req.costMicros, result.usage);
    this.pending = r;
    return r;
  }

  /** The response has ended (or the request was abandoned): free the slot in flight. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.core.control.leave(this.priorityIndex);
    // A reservation nobody settled is charged what was reserved: what ran upstream is unknown.
    if (this.pending) this.pending.settleAsReserved();
  }

  private refusal(result: ReserveResult, tokens: number): Refusal {
    const by = result.refusedBy!;
    const team = by.subject.startsWith('team:');
    const who = team ? `team "${by.subject.slice(5)}"` : this.key!.label;
    const rule = this.key!.rules.find((r) => r.subject === by.subject);
    let error: GatewayError;
    let noRetry = false;
    if (by.limit === 'budget') {
      error = budgetExhausted(who, rule?.budget?.period ?? 'day', result.retryAfterMs ?? 0);
      noRetry = true;
    } else {
      const max = by.limit === 'requests' ? rule?.requestsPerMinute : by.limit === 'tokens' ? rule?.tokensPerMinute : rule?.concurrentRequests;
      if (by.tooLarge) {
        error = exceedsLimit(who, by.limit, max, by.limit === 'tokens' ? tokens : 1);
        noRetry = true;
      } else {
        error = rateLimited(who, by.limit, max, result.retryAfterMs ?? this.core.settings.concurrencyRetryAfterMs);
      }
    }
    return new Refusal(error, addRateLimitHeaders(result.usage, refusalHeaders(error, noRetry)));
  }
}
