/**
 * The routing engine: which target next, whether another attempt may go out,
 * and what each outcome teaches the breaker, the limiter and the cooldowns.
 * Only this layer retries (DESIGN.md). Time comes from the injected clock.
 */
import type { AttemptOutcome, OutcomeSink } from '../core/attempt-outcome.js';
import type { SignalLike } from '../core/cancel.js';
import type { Clock } from '../core/clock.js';
import { tell, type Sink } from '../core/sink.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import { fullJitterDelay } from './backoff.js';
import { isDrop, stopsFailover, tripsBreaker } from './classify.js';
import { Cooldowns } from './cooldowns.js';
import { NoTargetError, type AttemptRecord } from './no-target-error.js';
import { DEFAULT_POLICY, type RoutePolicy } from './policy.js';
import { RetryBudget } from './retry-budget.js';
import type { Route, Target } from './route-table.js';
import { orderTargets } from './strategy.js';
import { TargetState } from './target-state.js';
import { CapacityQueue } from './capacity-queue.js';
import { hedgedAttempt } from './hedge.js';

export type Settlement = { ok: true; ttftMs?: number } | { ok: false; error: GatewayError } | { ok: 'neutral' };

/** One attempt's hold on a target: settle it exactly once when the attempt (or its stream) ends. */
export interface Lease {
  readonly target: Target;
  readonly probe: boolean;
  readonly startedAt: number;
  settle(result: Settlement): void;
}

export interface RunOptions<T> {
  /** The request's deadline signal. */
  signal: SignalLike;
  /** Epoch ms of the request's deadline (bounds queue waits). */
  deadlineAt?: number;
  stream: boolean;
  /** A continuation after a mid-stream failure: counts against the budget, avoids these targets. */
  continuation?: { exclude: Set<string> };
  /** Dispose of a value that lost a hedge race after it was produced (e.g. cancel its stream). */
  discard?: (value: T) => void;
}

export interface RunResult<T> {
  value: T;
  lease: Lease;
  attempts: AttemptRecord[];
}

/** Where a request's attempts stand: what the attempt loop carries from one attempt to the next. */
interface RunState<T> {
  route: Route;
  fn: (target: Target, signal: SignalLike) => Promise<T>;
  opts: RunOptions<T>;
  policy: RoutePolicy;
  budget: RetryBudget;
  attempts: AttemptRecord[];
  /** Attempts per target label; made on the first failure (most requests succeed at once). */
  tried: Map<string, number> | undefined;
  /** Targets that cannot represent this request (nothing was sent to them): skipped from then on. */
  cannot: Set<string> | undefined;
  sent: number;
  waitedMs: number;
}

export interface RouterOptions {
  random?: () => number;
  /** Status page URL, named in errors when nothing can serve. */
  statusPage?: string;
  /** A credential or target was parked (rate limit or quota): for alerts and logs. */
  onPark?(info: { provider: string; model: string; until: number; reason: string; quota: boolean }): void;
}

export class Router {
  private readonly states = new Map<string, TargetState>();
  private readonly budgets = new Map<string, RetryBudget>();
  readonly cooldowns: Cooldowns;
  private readonly queue: CapacityQueue;

  private readonly random: () => number;

  constructor(
    private readonly clock: Clock,
    private readonly outcomes: OutcomeSink,
    private readonly options: RouterOptions = {},
  ) {
    this.random = options.random ?? Math.random;
    this.cooldowns = new Cooldowns(clock);
    this.queue = new CapacityQueue(clock);
  }

  state(target: Target, policy: RoutePolicy = DEFAULT_POLICY): TargetState {
    let s = this.states.get(target.label);
    if (!s) this.states.set(target.label, (s = new TargetState(this.clock, policy, this.random)));
    return s;
  }

  private budget(route: Route, policy: RoutePolicy): RetryBudget {
    let b = this.budgets.get(route.alias);
    if (!b) this.budgets.set(route.alias, (b = new RetryBudget(this.clock, { ratio: policy.budgetRatio, floorPerSecond: policy.budgetFloorPerSecond })));
    return b;
  }

  /** Why a target can't take an attempt now, or undefined if it can. */
  private unavailable(target: Target, policy: RoutePolicy, primary = false): { reason: string; until?: number } | undefined {
    if (!this.cooldowns.empty) {
      const quota = this.cooldowns.get(`credential:${target.provider.name}`);
      if (quota) return { reason: `credential parked: ${quota.reason}`, until: quota.until };
      const parked = this.cooldowns.get(target.label);
      if (parked) return { reason: `waiting: ${parked.reason}`, until: parked.until };
    }
    const s = this.state(target, policy);
    if (s.breaker.state !== 'closed') {
      if (s.breaker.state === 'open' && this.clock.now() < s.breaker.openUntil) return { reason: 'circuit open', until: s.breaker.openUntil };
      if (s.breaker.probeSlots() === 0) return { reason: 'circuit half-open, probes in flight', until: this.clock.now() + 1000 };
    }
    if (!s.limiter.admits(primary)) return { reason: 'at its concurrency limit', until: this.clock.now() + 1000 };
    return undefined;
  }

  private lease(target: Target, policy: RoutePolicy, stream: boolean, primary = false): Lease | undefined {
    const s = this.state(target, policy);
    const verdict = s.breaker.allow();
    if (verdict === 'no') return undefined;
    if (!s.limiter.tryAcquire(primary)) {
      if (verdict === 'probe') s.breaker.onNeutral(true);
      return undefined;
    }
    return new TargetLease(this, target, policy, s, verdict === 'probe', this.clock.now(), stream, primary);
  }

  /** @internal a lease's outcome, once: what it teaches the limiter, the breaker, the cooldowns and health. */
  settle(l: TargetLease, result: Settlement): void {
    const { target, state: s, probe } = l;
    // The gateway's own failure (a bug, not an answer) says nothing about the target: neutral.
    if (result.ok === 'neutral' || (result.ok === false && result.error.kind === 'internal')) {
      s.limiter.release('ignore');
      s.breaker.onNeutral(probe);
    } else if (result.ok) {
      s.limiter.release('success', l.primary);
      s.breaker.onSuccess(probe);
      const o: AttemptOutcome = { provider: target.provider.name, model: target.model, at: l.startedAt, stream: l.stream, ok: true };
      if (result.ttftMs !== undefined) {
        s.ttft.add(result.ttftMs);
        o.ttftMs = result.ttftMs;
      }
      this.outcomes.record(o);
    } else {
      const e = result.error;
      s.limiter.release(isDrop(e) ? 'drop' : 'ignore');
      if (tripsBreaker(e)) s.breaker.onFailure(probe);
      else s.breaker.onNeutral(probe);
      this.park(target, l.policy, e);
      if (e.code !== 'request_aborted') {
        this.outcomes.record({ provider: target.provider.name, model: target.model, at: l.startedAt, stream: l.stream, ok: false, kind: e.kind, status: e.upstreamStatus ?? e.status });
      }
    }
    if (this.queue.size > 0) this.queue.wake();
  }

  private park(target: Target, policy: RoutePolicy, e: GatewayError): void {
    if (e.kind === 'quota_exhausted') {
      const p = this.cooldowns.park(`credential:${target.provider.name}`, e.retryAfterMs ?? policy.quotaParkMs, e.message);
      this.options.onPark?.({ provider: target.provider.name, model: target.model, until: p.until, reason: e.message, quota: true });
    } else if (e.kind === 'rate_limited') {
      const p = this.cooldowns.park(target.label, e.retryAfterMs ?? policy.rateLimitParkMs, 'rate limited');
      this.options.onPark?.({ provider: target.provider.name, model: target.model, until: p.until, reason: 'rate limited', quota: false });
    }
  }

  /**
   * Run attempts over the route's targets until one succeeds, within attempts, budget and deadline.
   * The usual first attempt starts here without an async frame: the request waits on the upstream
   * holding only the continuation below, not the whole loop's state (with hundreds of requests in
   * flight, what each holds is what every young-generation collection copies). Anything else
   * (a failure, no target at once, hedging, a continuation) goes on in the loop.
   */
  run<T>(route: Route, fn: (target: Target, signal: SignalLike) => Promise<T>, opts: RunOptions<T>): Promise<RunResult<T>> {
    try {
      return this.start(route, fn, opts);
    } catch (e) {
      // As from an async function: the caller sees a rejection (of what was thrown), never a throw.
      return Promise.reject(e);
    }
  }

  private start<T>(route: Route, fn: (target: Target, signal: SignalLike) => Promise<T>, opts: RunOptions<T>): Promise<RunResult<T>> {
    const policy = route.policy ?? DEFAULT_POLICY;
    const budget = this.budget(route, policy);
    const first = this.firstAttempt(route, policy, budget, opts);
    const st = runState(route, fn, opts, policy, budget);
    if (!('lease' in first)) return this.loop(st, first.order);
    const { pick, lease } = first;
    let value: Promise<T>;
    try {
      value = fn(pick, opts.signal);
    } catch (e) {
      value = Promise.reject(e);
    }
    return value.then(
      (v) => ({ value: v, lease, attempts: [{ target: pick.label }] }),
      (e: unknown) => {
        this.attemptFailed(st, pick, lease, 0, e);
        return this.loop(st);
      },
    );
  }

  /**
   * As run, with an attempt that tells a sink, telling `to` (once) instead of returning a promise:
   * the stream path. The usual first attempt is then one FirstAttempt object while the upstream
   * thinks (no promise, reaction or closure of the router's); anything else goes on in the loop.
   */
  runTo<T>(route: Route, fn: (target: Target, signal: SignalLike, to: Sink<T>) => void, opts: RunOptions<T>, to: Sink<RunResult<T>>): void {
    try {
      const policy = route.policy ?? DEFAULT_POLICY;
      const budget = this.budget(route, policy);
      const first = this.firstAttempt(route, policy, budget, opts);
      if ('lease' in first) {
        const attempt = new FirstAttempt(this, route, fn, opts, policy, budget, first.pick, first.lease, to);
        try {
          fn(first.pick, opts.signal, attempt);
        } catch (e) {
          attempt.failed(e);
        }
        return;
      }
      tell(this.loop(runState(route, promised(fn), opts, policy, budget), first.order), to);
    } catch (e) {
      to.failed(e);
    }
  }

  /**
   * The usual first attempt, when it can go out at once: its target and lease. Otherwise what the
   * loop starts from (`order`: the targets' order its first round uses, when one was made).
   */
  private firstAttempt<T>(route: Route, policy: RoutePolicy, budget: RetryBudget, opts: RunOptions<T>): { pick: Target; lease: Lease } | { order?: readonly Target[] } {
    if (!opts.continuation) budget.recordFirstAttempt();
    if (opts.continuation || opts.signal.aborted || (opts.stream && policy.hedge) || policy.maxAttempts < 1) return {};
    const order = this.order(route, policy, undefined, undefined, undefined);
    const pick = this.firstAvailable(order, policy, true);
    // No target at once: the loop takes it from this same order (the queue, or the error).
    if (!pick) return { order };
    const lease = this.lease(pick, policy, opts.stream, pick === order[0]);
    return lease ? { pick, lease } : {};
  }

  /** The first target of `order` that can take an attempt now (`firstChoice`: the route's own first choice may use its reserve). */
  private firstAvailable(order: readonly Target[], policy: RoutePolicy, firstChoice: boolean): Target | undefined {
    for (const t of order) if (this.unavailable(t, policy, firstChoice && t === order[0]) === undefined) return t;
    return undefined;
  }

  /** @internal What a failed attempt teaches: its record, the target's try count, the lease's outcome. Throws when nothing else may be tried. */
  attemptFailed<T>(st: RunState<T>, pick: Target, lease: Lease, round: number, e: unknown): void {
    const err = toGatewayError(e);
    st.attempts.push({ target: pick.label, error: err });
    (st.tried ??= new Map()).set(pick.label, round + 1);
    if (err.notSent) {
      // Not the target's doing and not a retry: no outcome, no budget, no breaker.
      lease.settle({ ok: 'neutral' });
      (st.cannot ??= new Set()).add(pick.label);
      return;
    }
    st.sent++;
    lease.settle(err.code === 'request_aborted' ? { ok: 'neutral' } : { ok: false, error: err });
    if (stopsFailover(err)) throw err;
  }

  /** @internal The attempt loop, from wherever `st` says the request is (`firstOrder`: the targets' order its first round uses). */
  async loop<T>(st: RunState<T>, firstOrder?: readonly Target[]): Promise<RunResult<T>> {
    const { route, fn, opts, policy, budget, attempts } = st;
    let given = firstOrder;
    while (attempts.length < policy.maxAttempts) {
      if (opts.signal.aborted) throw toGatewayError(opts.signal.reason instanceof GatewayError ? opts.signal.reason : abortedError());
      const order = given ?? this.order(route, policy, st.tried, st.cannot, opts.continuation?.exclude);
      given = undefined;
      // The route's first choice serving its own traffic (not failover, not a continuation).
      const firstChoice = st.sent === 0 && !opts.continuation;
      const pick = this.firstAvailable(order, policy, firstChoice);
      if (!pick) {
        const capacityOnly = this.allAtCapacity(order, policy);
        const waitLeft = policy.queueMaxWaitMs - st.waitedMs;
        if (capacityOnly && waitLeft > 0) {
          const t0 = this.clock.now();
          const ok = await this.queue.wait(Math.min(waitLeft, (opts.deadlineAt ?? Infinity) - this.clock.now()), policy.queueMaxSize, opts.signal);
          st.waitedMs += this.clock.now() - t0;
          if (ok) continue;
        }
        break;
      }
      const retry = st.sent > 0 || opts.continuation !== undefined;
      if (retry && !budget.tryWithdraw()) {
        attempts.push({ target: pick.label, error: budgetError() });
        break;
      }
      const round = st.tried?.get(pick.label) ?? 0;
      if (round > 0) await this.sleep(fullJitterDelay(round, policy.backoffBaseMs, policy.backoffCapMs, this.random), opts.signal);
      const lease = this.lease(pick, policy, opts.stream, firstChoice && pick === order[0]);
      if (!lease) continue;
      try {
        if (opts.stream && policy.hedge) {
          const tried = (st.tried ??= new Map());
          tried.set(pick.label, round + 1);
          const hedge = this.hedgePlan(route, policy, pick, tried, budget, opts);
          if (hedge) {
            const out = await hedgedAttempt(lease, fn, hedge, this.clock, opts);
            attempts.push(...out.losers, { target: out.lease.target.label });
            return { value: out.value, lease: out.lease, attempts };
          }
        }
        const value = await fn(pick, opts.signal);
        attempts.push({ target: pick.label });
        return { value, lease, attempts };
      } catch (e) {
        this.attemptFailed(st, pick, lease, round, e);
      }
    }
    // No target could even represent the request: that is the client's 400, as the first target put it.
    if (st.sent === 0 && attempts[0]?.error?.notSent) throw attempts[0].error;
    throw this.exhausted(route, policy, attempts);
  }

  /** Every target is only at its concurrency limit (a method, not a closure: run() keeps no context for the request's life). */
  private allAtCapacity(order: readonly Target[], policy: RoutePolicy): boolean {
    if (order.length === 0) return false;
    for (const t of order) if (this.unavailable(t, policy)?.reason !== 'at its concurrency limit') return false;
    return true;
  }

  /** Targets in the order to try now: the strategy's, less excluded ones; after failures, untried first, then least tried. */
  private order(route: Route, policy: RoutePolicy, tried: Map<string, number> | undefined, cannot: Set<string> | undefined, exclude: Set<string> | undefined): readonly Target[] {
    const order = orderTargets(route, policy, this, this.random);
    if (!tried && !cannot && !exclude) return order;
    const out = order.filter((t) => !exclude?.has(t.label) && !cannot?.has(t.label));
    if (tried) out.sort((a, b) => (tried.get(a.label) ?? 0) - (tried.get(b.label) ?? 0));
    return out;
  }

  private hedgePlan<T>(route: Route, policy: RoutePolicy, primary: Target, tried: Map<string, number>, budget: RetryBudget, opts: RunOptions<T>) {
    const delayMs = policy.hedgeAfterMs ?? this.state(primary, policy).ttft.quantile(0.95);
    if (delayMs === undefined) return undefined;
    return {
      delayMs,
      // Called when the timer fires: a lease on the next available target, if the budget allows.
      next: (): Lease | undefined => {
        const alt = route.targets.find((t) => t !== primary && !tried.has(t.label) && !opts.continuation?.exclude.has(t.label) && this.unavailable(t, policy) === undefined);
        if (!alt || !budget.tryWithdraw()) return undefined;
        tried.set(alt.label, 1);
        return this.lease(alt, policy, true);
      },
    };
  }

  private exhausted(route: Route, policy: RoutePolicy, attempts: AttemptRecord[]): GatewayError {
    const now = this.clock.now();
    const skipped: AttemptRecord[] = [];
    let soonest = Infinity;
    for (const t of route.targets) {
      const u = this.unavailable(t, policy);
      if (u) {
        soonest = Math.min(soonest, u.until ?? now + 1000);
        if (!attempts.some((a) => a.target === t.label)) skipped.push({ target: t.label, error: new GatewayError({ code: 'target_unavailable', message: u.reason, status: 503, kind: 'unavailable' }) });
      }
    }
    const all = [...attempts, ...skipped];
    if (all.length === 1 && attempts.length === 1) return attempts[0]!.error!;
    const retryAfterMs = Number.isFinite(soonest) ? Math.max(1000, soonest - now) : undefined;
    return new NoTargetError(route.alias, all, this.options.statusPage, retryAfterMs);
  }

  private sleep(ms: number, signal: SignalLike): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = this.clock.setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      function done() {
        signal.removeEventListener('abort', done);
        resolve();
      }
      void t;
    });
  }
}

function abortedError(): GatewayError {
  return new GatewayError({ code: 'request_aborted', message: 'The client closed the request.', status: 499, kind: 'cut', retryable: false });
}

function budgetError(): GatewayError {
  return new GatewayError({
    code: 'retry_budget_exhausted',
    message: 'not retried: the retry budget is spent (retries are capped so they cannot amplify an outage)',
    status: 503,
    kind: 'unavailable',
  });
}

/** One attempt's hold on a target (a class, not a closure: one per request on the hot path). */
class TargetLease implements Lease {
  private settled = false;

  constructor(
    private readonly router: Router,
    readonly target: Target,
    readonly policy: RoutePolicy,
    readonly state: TargetState,
    readonly probe: boolean,
    readonly startedAt: number,
    readonly stream: boolean,
    readonly primary: boolean,
  ) {}

  settle(result: Settlement): void {
    if (this.settled) return;
    this.settled = true;
    this.router.settle(this, result);
  }
}

/** Where a request's attempts stand before the first has gone out. */
function runState<T>(route: Route, fn: (target: Target, signal: SignalLike) => Promise<T>, opts: RunOptions<T>, policy: RoutePolicy, budget: RetryBudget): RunState<T> {
  return { route, fn, opts, policy, budget, attempts: [], tried: undefined, cannot: undefined, sent: 0, waitedMs: 0 };
}

/** A sink-telling attempt as the loop calls attempts: a promise of its value. */
function promised<T>(fn: (target: Target, signal: SignalLike, to: Sink<T>) => void): (target: Target, signal: SignalLike) => Promise<T> {
  return (target, signal) => new Promise<T>((resolve, reject) => fn(target, signal, { done: resolve, failed: reject }));
}

/**
 * runTo's first attempt, told how it went (it is the attempt's sink): a success is the run's
 * result; a failure is recorded as run's would be, and the loop goes on from there.
 */
class FirstAttempt<T> implements Sink<T> {
  constructor(
    private readonly router: Router,
    private readonly route: Route,
    private readonly fn: (target: Target, signal: SignalLike, to: Sink<T>) => void,
    private readonly opts: RunOptions<T>,
    private readonly policy: RoutePolicy,
    private readonly budget: RetryBudget,
    private readonly pick: Target,
    private readonly lease: Lease,
    private readonly to: Sink<RunResult<T>>,
  ) {}

  done(value: T): void {
    this.to.done({ value, lease: this.lease, attempts: [{ target: this.pick.label }] });
  }

  failed(e: unknown): void {
    const st = runState(this.route, promised(this.fn), this.opts, this.policy, this.budget);
    try {
      this.router.attemptFailed(st, this.pick, this.lease, 0, e);
    } catch (stop) {
      return this.to.failed(stop);
    }
    tell(this.router.loop(st), this.to);
  }
}
