/**
 * A request's reserved tokens and cost (issue #25 item 3): reserved at admission from the
 * estimate, settled at completion from the usage every upstream attempt reported, including
 * attempts that were cut or failed over (the provider billed them too).
 */
import type { SettleRequest, SubjectUsage } from '../storage/limit-store.js';
import { addRateLimitHeaders } from './rate-headers.js';
import type { Admission } from './request-admission.js';

/** One upstream attempt that ran, with the usage it reported (absent when it reported none). */
export interface AttemptUsage {
  /** The upstream model id, for pricing. */
  model: string;
  usage?: { inputTokens: number; outputTokens: number };
}

export class Reservation {
  private settled = false;

  constructor(
    private readonly admission: Admission,
    /** '' when nothing was reserved (auth: none, or the limit store failed). */
    readonly id: string,
    readonly reservedAt: number,
    readonly inputTokens: number,
    readonly outputTokens: number,
    readonly costMicros: number,
    private readonly usage: readonly SubjectUsage[] | undefined,
  ) {}

  /** x-ratelimit-* for the response, streams included (they go out with the response head). */
  headers(into: Record<string, string> = {}): Record<string, string> {
    return this.usage ? addRateLimitHeaders(this.usage, into) : into;
  }

  /**
   * Charge what the attempts really used instead of what was reserved. An attempt without usage
   * (cut before the provider said) is charged the reservation's estimate: the provider may have
   * billed it, and a budget should err high. Idempotent; never throws (a store failure goes to
   * onError); the in-memory store has counted it when this returns, a shared one soon after.
   */
  settle(attempts: readonly AttemptUsage[]): void {
    if (this.settled) return;
    this.settled = true;
    if (this.admission.pending === this) this.admission.pending = undefined;
    if (this.id === '') return;
    const core = this.admission.core;
    let tokens = 0;
    let cost = 0;
    for (const a of attempts) {
      const input = a.usage ? a.usage.inputTokens : this.inputTokens;
      const output = a.usage ? a.usage.outputTokens : this.outputTokens;
      tokens += input + output;
      cost += core.prices.costMicros(a.model, input, output);
    }
    this.send(tokens - this.inputTokens - this.outputTokens, cost - this.costMicros);
  }

  /** For Admission.release(): keep the reserved amounts, end the concurrency lease. */
  settleAsReserved(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.admission.pending === this) this.admission.pending = undefined;
    if (this.id !== '') this.send(0, 0);
  }

  private send(tokensDelta: number, costDeltaMicros: number): void {
    const core = this.admission.core;
    const req: SettleRequest = { id: this.id, now: core.clock.now(), reservedAt: this.reservedAt, rules: this.admission.key!.rules, tokensDelta, costDeltaMicros };
    if (!core.immediate) return void this.sendShared(req);
    try {
      core.immediate.settleNow(req);
    } catch (e) {
      core.onError(e, 'limit store settle');
    }
  }

  private async sendShared(req: SettleRequest): Promise<void> {
    const core = this.admission.core;
    try {
      await core.limits.settle(req);
    } catch (e) {
      core.onError(e, 'limit store settle');
    }
  }
}
