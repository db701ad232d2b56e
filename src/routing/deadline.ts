/**
 * One deadline per client request covers every attempt, retry and failover
 * (DESIGN.md). Its signal aborts whatever is in flight with a typed timeout.
 */
import { Cancel, type SignalLike } from '../core/cancel.js';
import type { Clock, TimerHandle } from '../core/clock.js';
import { deadlineExceeded } from '../core/errors.js';

export class Deadline {
  readonly at: number;
  private readonly controller: Cancel;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    readonly budgetMs: number,
    parent?: SignalLike,
  ) {
    this.at = clock.now() + budgetMs;
    this.controller = new Cancel(parent);
    this.timer = clock.setTimeout(Deadline.expire, budgetMs, this);
  }

  get signal(): SignalLike {
    return this.controller.signal;
  }

  remaining(): number {
    return Math.max(0, this.at - this.clock.now());
  }

  expired(): boolean {
    return this.remaining() === 0 || this.controller.signal.aborted;
  }

  private static expire(d: Deadline): void {
    d.timer = undefined;
    d.controller.abort(deadlineExceeded(d.budgetMs));
  }

  /** End the request early (e.g. the client went away): everything in flight aborts with `reason`. */
  abort(reason: unknown): void {
    this.controller.abort(reason);
  }

  /** Release the timer once the request is done. */
  dispose(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * The client's own timeout hint: the official OpenAI and Anthropic SDKs send
 * `X-Stainless-Timeout` (seconds). A shorter client deadline wins: answering
 * after the client gave up only wastes upstream capacity.
 */
export function clientDeadlineMs(header: string | string[] | undefined, fallbackMs: number): number {
  const v = Array.isArray(header) ? header[0] : header;
  const secs = v === undefined ? NaN : Number(v);
  if (!Number.isFinite(secs) || secs <= 0) return fallbackMs;
  return Math.min(fallbackMs, secs * 1000);
}
