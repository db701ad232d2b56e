/**
 * The routing engine: which target next, whether another attempt may go out,
 * and what each outcome teaches the breaker, the limiter and the cooldowns.
 * Only this layer retries (DESIGN.md). Time comes from the injected clock.
 * A request's attempts are one AttemptLoop; the router holds what requests share.
 */
import type { AttemptOutcome, OutcomeSink } from '../core/attempt-outcome.js';
import type { SignalLike } from '../core/cancel.js';
import type { Clock } from '../core/clock.js';
import { GatewayError } from '../core/errors.js';
import type { Sink } from '../core/sink.js';
import type { Attempt, RunOptions, RunResult } from './attempt.js';
import { AttemptLoop, type AttemptHost } from './attempt-loop.js';
import { attemptTimers, type AttemptTimers } from './attempt-timers.js';
import { CapacityQueue, type QueueWaiter } from './capacity-queue.js';
import { isDrop, tripsBreaker } from './classify.js';
import { TargetLease, type Lease, type LeaseSettler, type Settlement } from './lease.js';
import { NoTargetError, type AttemptRecord } from './no-target-error.js';
import { DEFAULT_POLICY, type RoutePolicy } from './policy.js';
import type { RetryBudget } from './retry-budget.js';
import type { Route, Target } from './route-table.js';
import { memoryRouterStores, RouterState } from './router-state.js';
import { orderTargets } from './strategy.js';
import type { TargetState } from './target-state.js';
import { unavailableError, type Unavailable } from './unavailable.js';
import type { AttemptKind, RequestTrace, RouterObserver } from './router-observer.js';

export interface RouterOptions {
  random?: () => number;
  /** Status page URL, named in errors when nothing can serve. */
  statusPage?: string;
  /** A credential or target was parked (rate limit or quota): for alerts and logs. */
  onPark?(info: { provider: string; model: string; until: number; reason: string; quota: boolean; cause: 'quota' | 'auth' | 'rate_limited' }): void;
  /** The router's state (shared stores; targets made in configuration order). Default: private memory stores. */
  state?: RouterState;
  /** Hears every attempt, budget ask and queue wait (metrics). */
  observer?: RouterObserver;
}

export class Router implements AttemptHost, LeaseSettler {
  readonly random: () => number;
  readonly state: RouterState;
  private readonly queue: CapacityQueue;
  private readonly observer: RouterObserver | undefined;

  constructor(
    readonly clock: Clock,
    private readonly outcomes: OutcomeSink,
    private readonly options: RouterOptions = {},
  ) {
    this.random = options.random ?? Math.random;
    this.state = options.state ?? new RouterState(clock, memoryRouterStores(), this.random);
    this.queue = new CapacityQueue(clock);
    this.observer = options.observer;
  }

  /**
   * Run attempts over the route's targets until one succeeds, within attempts, budget and
   * deadline; `to` is told once. While the upstream thinks, a request is its AttemptLoop.
   */
  route<T>(route: Route, attempt: Attempt<T>, opts: RunOptions<T>, to: Sink<RunResult<T>>): void {
    const policy = route.policy ?? DEFAULT_POLICY;
    try {
      new AttemptLoop(this, route, policy, this.state.budget(route, policy), attempt, opts, to).start();
    } catch (e) {
      to.failed(e);
    }
  }

  /** Requests waiting for a free slot right now (routing.queue). */
  get queued(): number {
    return this.queue.size;
  }

  /** A target's breaker, limiter and latency. */
  target(t: Target, policy?: RoutePolicy): TargetState {
    return this.state.target(t, policy);
  }

  /** Why a target can't take an attempt now, or undefined if it can. */
  unavailable(target: Target, policy: RoutePolicy, primary = false): Unavailable | undefined {
    const cooldowns = this.state.cooldowns;
    if (!cooldowns.empty) {
      const now = this.clock.now();
      const quota = cooldowns.get(`credential:${target.provider.name}`, now);
      if (quota) return { why: 'credential_parked', detail: quota.reason, until: quota.until };
      const parked = cooldowns.get(target.label, now);
      if (parked) return { why: 'waiting', detail: parked.reason, until: parked.until };
    }
    const s = this.state.target(target, policy);
    if (s.breaker.state !== 'closed') {
      if (s.breaker.state === 'open' && this.clock.now() < s.breaker.openUntil) return { why: 'circuit_open', until: s.breaker.openUntil };
      if (s.breaker.probeSlots() === 0) return { why: 'probes_in_flight', until: this.clock.now() + 1000 };
    }
    if (!s.limiter.admits(primary)) return { why: 'at_capacity', until: this.clock.now() + 1000 };
    return undefined;
  }

  /** @internal AttemptHost */
  lease(target: Target, policy: RoutePolicy, stream: boolean, primary: boolean, kind: AttemptKind = 'first', trace?: RequestTrace): Lease | undefined {
    const s = this.state.target(target, policy);
    const verdict = s.breaker.allow();
    if (verdict === 'no') return undefined;
    if (!s.limiter.tryAcquire(primary)) {
      if (verdict === 'probe') s.breaker.onNeutral(true);
      return undefined;
    }
    const lease = new TargetLease(this, target, policy, s, verdict === 'probe', this.clock.now(), stream, primary, kind);
    if (trace) lease.span = trace.attempt(lease);
    return lease;
  }

  /** @internal AttemptHost */
  withdraw(route: Route, budget: RetryBudget): boolean {
    const granted = budget.tryWithdraw();
    this.observer?.budget(route, granted);
    return granted;
  }

  /** @internal a lease's outcome, once: what it teaches the limiter, the breaker, the cooldowns and health. */
  settle(l: TargetLease, result: Settlement): void {
    const { target, state: s, probe } = l;
    if (this.observer) this.observer.attempt(l, result, this.clock.now());
    l.span?.end(result);
    // The gateway's own failure (a bug, not an answer) says nothing about the target: neutral.
    if (result.ok === 'neutral' || (result.ok === false && result.error.kind === 'internal')) {
      s.limiter.release('ignore');
      s.breaker.onNeutral(probe);
    } else if (result.ok) {
      s.limiter.release('success', l.primary);
      s.breaker.onSuccess(probe);
      const o: AttemptOutcome = { provider: target.provider.name, model: target.model, at: l.startedAt, stream: l.stream, ok: true };
      if (result.ttftMs !== undefined) {
        (l.stream ? s.ttft : s.answer).add(result.ttftMs);
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
    const now = this.clock.now();
    if (e.kind === 'quota_exhausted') {
      const p = this.state.cooldowns.park(`credential:${target.provider.name}`, now + Math.max(0, e.retryAfterMs ?? policy.quotaParkMs), e.message);
      this.options.onPark?.({ provider: target.provider.name, model: target.model, until: p.until, reason: e.message, quota: true, cause: 'quota' });
    } else if (e.kind === 'auth') {
      const p = this.state.cooldowns.park(`credential:${target.provider.name}`, now + policy.authParkMs, e.message);
      this.options.onPark?.({ provider: target.provider.name, model: target.model, until: p.until, reason: e.message, quota: false, cause: 'auth' });
    } else if (e.kind === 'rate_limited') {
      const p = this.state.cooldowns.park(target.label, now + Math.max(0, e.retryAfterMs ?? policy.rateLimitParkMs), 'rate limited');
      this.options.onPark?.({ provider: target.provider.name, model: target.model, until: p.until, reason: 'rate limited', quota: false, cause: 'rate_limited' });
    }
  }

  /** @internal AttemptHost: the first target of `order` that can take an attempt now (`firstChoice`: the route's own first choice may use its reserve). */
  firstAvailable(order: readonly Target[], policy: RoutePolicy, firstChoice: boolean): Target | undefined {
    for (const t of order) if (this.unavailable(t, policy, firstChoice && t === order[0]) === undefined) return t;
    return undefined;
  }

  /** @internal AttemptHost: some target is only at its concurrency limit (a slot will free up). */
  someAtCapacity(order: readonly Target[], policy: RoutePolicy): boolean {
    for (const t of order) if (this.unavailable(t, policy)?.why === 'at_capacity') return true;
    return false;
  }

  /** @internal AttemptHost: targets in the order to try now: the strategy's, less excluded ones; after failures, untried first, then least tried. */
  order(route: Route, policy: RoutePolicy, tried: Map<string, number> | undefined, cannot: Set<string> | undefined, exclude: Set<string> | undefined): readonly Target[] {
    const order = orderTargets(route, policy, this.state, this.random);
    if (!tried && !cannot && !exclude) return order;
    const out = order.filter((t) => !exclude?.has(t.label) && !cannot?.has(t.label));
    if (tried) out.sort((a, b) => (tried.get(a.label) ?? 0) - (tried.get(b.label) ?? 0));
    return out;
  }

  /** @internal AttemptHost */
  hedgeDelay(primary: Target, policy: RoutePolicy): number | undefined {
    if (policy.hedgeAfterMs !== undefined) return policy.hedgeAfterMs;
    const p99 = this.state.target(primary, policy).ttft.quantile(0.99);
    return p99 === undefined ? undefined : Math.max(policy.hedgeMinMs, p99);
  }

  /** @internal AttemptHost: called when the hedge timer fires. */
  hedgeLease(route: Route, policy: RoutePolicy, tried: Map<string, number>, budget: RetryBudget, exclude: Set<string> | undefined, trace?: RequestTrace): Lease | undefined {
    const alt = route.targets.find((t) => !tried.has(t.label) && !exclude?.has(t.label) && this.unavailable(t, policy) === undefined);
    if (!alt || !this.withdraw(route, budget)) return undefined;
    tried.set(alt.label, 1);
    return this.lease(alt, policy, true, false, 'hedge', trace);
  }

  /** @internal AttemptHost: the targets after `pick` that could still answer (untried, available or only busy) decide its share. */
  timers(pick: Target, policy: RoutePolicy, order: readonly Target[], tried: Map<string, number> | undefined, attemptsLeft: number, deadlineAt: number | undefined): AttemptTimers {
    const s = this.state.target(pick, policy);
    if (!policy.adaptiveTimeouts) return attemptTimers(policy, s, 0, 1);
    let viable = 1;
    for (const t of order) {
      if (viable >= attemptsLeft) break;
      if (t === pick || tried?.has(t.label)) continue;
      const u = this.unavailable(t, policy);
      if (u === undefined || u.why === 'at_capacity') viable++;
    }
    const remaining = deadlineAt === undefined ? policy.deadlineMs : Math.max(0, deadlineAt - this.clock.now());
    return attemptTimers(policy, s, remaining, viable);
  }

  /** @internal AttemptHost */
  waitForCapacity(w: QueueWaiter, maxMs: number, maxSize: number, signal: SignalLike, priority?: string): boolean {
    const entered = this.queue.enter(w, maxMs, maxSize, signal);
    if (entered) this.observer?.queued(priority);
    return entered;
  }

  /** @internal AttemptHost: the friendly failure once nothing more may be tried. */
  exhausted(route: Route, policy: RoutePolicy, attempts: AttemptRecord[]): GatewayError {
    const now = this.clock.now();
    const skipped: AttemptRecord[] = [];
    let soonest = Infinity;
    for (const t of route.targets) {
      const u = this.unavailable(t, policy);
      if (u) {
        soonest = Math.min(soonest, u.until);
        if (!attempts.some((a) => a.target === t.label)) skipped.push({ target: t.label, error: unavailableError(u) });
      }
    }
    const all = [...attempts, ...skipped];
    if (all.length === 1 && attempts.length === 1) return attempts[0]!.error!;
    const retryAfterMs = Number.isFinite(soonest) ? Math.max(1000, soonest - now) : undefined;
    return new NoTargetError(route.alias, all, this.options.statusPage, retryAfterMs);
  }
}
