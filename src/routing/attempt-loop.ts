/**
 * One client request's attempts, as one object (model: undici's RetryHandler): the first
 * attempt, retries, failover, waits for capacity, backoff and hedges all go through next(), so
 * what the router's tests exercise is what production runs. The loop is the sink of its current
 * attempt; it is told once per attempt, and tells `to` once.
 */
import type { SignalLike } from '../core/cancel.js';
import type { Clock, TimerHandle } from '../core/clock.js';
import { GatewayError, requestAborted, toGatewayError } from '../core/errors.js';
import type { Sink } from '../core/sink.js';
import { fullJitterDelay } from '../core/backoff.js';
import { stopsFailover } from './classify.js';
import { budgetError } from './routing-errors.js';
import { HedgeWatch, type RaceOwner } from './hedge.js';
import { failure, type Lease } from './lease.js';
import type { AttemptRecord } from './no-target-error.js';
import type { RoutePolicy } from './policy.js';
import type { RetryBudget } from './retry-budget.js';
import type { Route, Target } from './route-table.js';
import type { QueueWaiter } from './capacity-queue.js';
import type { Attempt, RunOptions, RunResult } from './attempt.js';
import type { AttemptTimers } from './attempt-timers.js';
import type { AttemptKind, RequestTrace } from './router-observer.js';

/** What the loop needs of the router: the decisions that read and change shared target state. */
export interface AttemptHost {
  readonly clock: Clock;
  readonly random: () => number;
  order(route: Route, policy: RoutePolicy, tried: Map<string, number> | undefined, cannot: Set<string> | undefined, exclude: Set<string> | undefined): readonly Target[];
  firstAvailable(order: readonly Target[], policy: RoutePolicy, firstChoice: boolean): Target | undefined;
  /** Some target is only busy (at its concurrency limit): a slot will free up. */
  someAtCapacity(order: readonly Target[], policy: RoutePolicy): boolean;
  lease(target: Target, policy: RoutePolicy, stream: boolean, primary: boolean, kind: AttemptKind, trace: RequestTrace | undefined): Lease | undefined;
  /** One more attempt past the first asks the budget (and the asking is counted). */
  withdraw(route: Route, budget: RetryBudget): boolean;
  /** A hedge's delay for `primary`, when hedging applies and the delay is known. */
  hedgeDelay(primary: Target, policy: RoutePolicy): number | undefined;
  /** A lease on a target the hedge may race (not tried, not excluded, available), budget permitting. */
  hedgeLease(route: Route, policy: RoutePolicy, tried: Map<string, number>, budget: RetryBudget, exclude: Set<string> | undefined, trace: RequestTrace | undefined): Lease | undefined;
  waitForCapacity(w: QueueWaiter, maxMs: number, maxSize: number, signal: SignalLike, priority: string | undefined): boolean;
  exhausted(route: Route, policy: RoutePolicy, attempts: AttemptRecord[]): GatewayError;
  /** The timers of an attempt on `pick`, given the targets in `order` that could still follow it. */
  timers(pick: Target, policy: RoutePolicy, order: readonly Target[], tried: Map<string, number> | undefined, attemptsLeft: number, deadlineAt: number | undefined): AttemptTimers;
}

export class AttemptLoop<T> implements Sink<T>, QueueWaiter, RaceOwner<T> {
  private attempts: AttemptRecord[] | undefined = undefined;
  /** Attempts per target label; made on the first failure (most requests succeed at once). */
  private tried: Map<string, number> | undefined = undefined;
  /** Targets that cannot represent this request (nothing was sent to them): skipped from then on. */
  private cannot: Set<string> | undefined = undefined;
  private sent = 0;
  private waitedMs = 0;
  /** The attempt in flight (or about to start after a backoff): its target, lease and round. */
  private pick: Target | undefined = undefined;
  /** The order `pick` was chosen from: what could follow it. */
  private order: readonly Target[] = [];
  private lease: Lease | undefined = undefined;
  private round = 0;
  private primary = false;
  /** A backoff or queue wait in progress. */
  private timer: TimerHandle | undefined = undefined;
  private waitStarted = 0;
  private ended = false;

  constructor(
    private readonly host: AttemptHost,
    private readonly route: Route,
    private readonly policy: RoutePolicy,
    private readonly budget: RetryBudget,
    private readonly attempt: Attempt<T>,
    private readonly opts: RunOptions<T>,
    private readonly to: Sink<RunResult<T>>,
  ) {}

  start(): void {
    if (!this.opts.continuation) this.budget.recordFirstAttempt();
    this.next();
  }

  private get records(): AttemptRecord[] {
    return (this.attempts ??= []);
  }

  /** Choose and start the next attempt, wait for one to be possible, or end. */
  private next(): void {
    const { host, route, policy, opts } = this;
    for (;;) {
      if ((this.attempts?.length ?? 0) >= policy.maxAttempts) return this.giveUp();
      if (opts.signal.aborted) return this.end(toGatewayError(opts.signal.reason instanceof GatewayError ? opts.signal.reason : requestAborted()));
      const order = host.order(route, policy, this.tried, this.cannot, opts.continuation?.exclude);
      // The route's first choice serving its own traffic (not failover, not a continuation).
      const firstChoice = this.sent === 0 && !opts.continuation;
      const pick = host.firstAvailable(order, policy, firstChoice);
      if (!pick) {
        if (this.waitForCapacity(order)) return;
        return this.giveUp();
      }
      if ((this.sent > 0 || opts.continuation !== undefined) && !host.withdraw(route, this.budget)) {
        this.records.push({ target: pick.label, error: budgetError() });
        return this.giveUp();
      }
      this.pick = pick;
      this.order = order;
      this.round = this.tried?.get(pick.label) ?? 0;
      this.primary = firstChoice && pick === order[0];
      if (this.round > 0) {
        const ms = fullJitterDelay(this.round, policy.backoffBaseMs, policy.backoffCapMs, host.random);
        if (ms > 0) return this.sleep(ms);
      }
      if (this.launch()) return;
    }
  }

  /** Lease the chosen target and start the attempt; false when the lease was refused (then choose again). */
  private launch(): boolean {
    const { host, policy, opts } = this;
    const pick = this.pick!;
    const kind: AttemptKind = opts.continuation ? 'resume' : this.round > 0 ? 'retry' : this.sent > 0 ? 'failover' : 'first';
    const lease = host.lease(pick, policy, opts.stream, this.primary, kind, opts.trace);
    if (!lease) return false;
    this.lease = lease;
    const delay = opts.stream && policy.hedge ? host.hedgeDelay(pick, policy) : undefined;
    if (delay !== undefined) {
      new HedgeWatch(this, this.attempt, host.clock, opts, lease).start(delay);
      return true;
    }
    try {
      this.attempt(pick, opts.signal, this, this.timersFor(pick), lease);
    } catch (e) {
      this.failed(e);
    }
    return true;
  }

  /** @internal An attempt's timers on `t`: its share of the deadline left, its own pace, the route's bounds. */
  timersFor(t: Target): AttemptTimers {
    const left = this.policy.maxAttempts - (this.attempts?.length ?? 0);
    return this.host.timers(t, this.policy, this.order, this.tried, left, this.opts.deadlineAt);
  }

  /** @internal the hedge delay passed: a lease on another target to race, budget permitting. */
  hedgeLease(): Lease | undefined {
    const tried = (this.tried ??= new Map());
    tried.set(this.pick!.label, this.round + 1);
    return this.host.hedgeLease(this.route, this.policy, tried, this.budget, this.opts.continuation?.exclude, this.opts.trace);
  }

  /** @internal the attempt in flight succeeded. */
  done(value: T): void {
    this.records.push({ target: this.pick!.label });
    this.succeed(value, this.lease!);
  }

  /** @internal the attempt in flight failed: record it, then stop or go on. */
  failed(e: unknown): void {
    const err = toGatewayError(e);
    const pick = this.pick!;
    this.records.push({ target: pick.label, error: err });
    (this.tried ??= new Map()).set(pick.label, this.round + 1);
    if (err.notSent) {
      // Not the target's doing and not a retry: no outcome, no budget, no breaker.
      this.lease!.settle({ ok: 'neutral' });
      (this.cannot ??= new Set()).add(pick.label);
      return this.next();
    }
    this.sent++;
    this.lease!.settle(failure(err));
    if (stopsFailover(err)) return this.end(err);
    this.next();
  }

  /** @internal a hedge race ended with a winner (the losers were cancelled and recorded). */
  hedgeWon(value: T, lease: Lease, losers: AttemptRecord[]): void {
    this.records.push(...losers, { target: lease.target.label });
    this.succeed(value, lease);
  }

  /** @internal a hedge race ended with every racer failed (their leases are settled): as a failed attempt. */
  hedgeFailed(e: unknown): void {
    this.failed(e);
  }

  private succeed(value: T, lease: Lease): void {
    if (this.ended) return;
    this.ended = true;
    this.to.done({ value, lease, attempts: this.attempts! });
  }

  private end(e: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.to.failed(e);
  }

  /** Nothing more may be tried: the error that says why. */
  private giveUp(): void {
    const attempts = this.records;
    // No target could even represent the request: that is the client's 400, as the first target put it.
    if (this.sent === 0 && attempts[0]?.error?.notSent) return this.end(attempts[0].error);
    this.end(this.host.exhausted(this.route, this.policy, attempts));
  }

  /** No target free, some only busy (the others down or parked): wait in the queue for a slot, within the route's limits and the deadline. */
  private waitForCapacity(order: readonly Target[]): boolean {
    const { host, policy, opts } = this;
    if (!host.someAtCapacity(order, policy)) return false;
    const left = Math.min(policy.queueMaxWaitMs - this.waitedMs, (opts.deadlineAt ?? Infinity) - host.clock.now());
    if (left <= 0) return false;
    this.waitStarted = host.clock.now();
    return host.waitForCapacity(this, left, policy.queueMaxSize, opts.signal, opts.priority);
  }

  /** @internal the capacity queue's answer: a slot freed (try again), or the wait ended without one. */
  woken(ok: boolean): void {
    this.waitedMs += this.host.clock.now() - this.waitStarted;
    if (ok) this.next();
    else this.giveUp();
  }

  /** Back off before a retry on the same target; the request ending cuts the wait short. */
  private sleep(ms: number): void {
    this.timer = this.host.clock.setTimeout(backoffOver, ms, this);
    this.opts.signal.addEventListener('abort', this, { once: true });
  }

  /** @internal the backoff is over: go on with the chosen target. */
  slept(): void {
    this.timer = undefined;
    this.opts.signal.removeEventListener('abort', this);
    if (this.opts.signal.aborted) return this.next();
    if (!this.launch()) this.next();
  }

  /** @internal the request ended during a backoff: its timer is cleared, and next() says why. */
  handleEvent(): void {
    if (this.timer === undefined) return;
    this.host.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.next();
  }
}

function backoffOver<T>(loop: AttemptLoop<T>): void {
  loop.slept();
}
