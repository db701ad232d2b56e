/**
 * AlertDispatcher: fan AlertEvents out to the configured targets without ever
 * making the caller wait. `dispatch()` is synchronous — it filters, dedupes and
 * enqueues, then returns; delivery runs in the background with bounded
 * concurrency. The queue is bounded: when full the OLDEST pending delivery is
 * dropped and counted (during an outage the newest state is the useful one).
 * Failed deliveries are retried with full-jitter backoff on the injected clock,
 * honouring Retry-After on 429; non-retryable 4xx fail at once.
 *
 * A flapping component must not spam a channel: besides dedupe (dedupe.ts),
 * `incident.updated` is throttled per incident — at most one per
 * updateIntervalMs, and the latest held-back update is sent when the interval
 * ends (trailing edge), unless the incident resolves first.
 *
 * Several gateway instances (issue #27): with a shared `claims` store, an event that passed the
 * in-process dedupe and the throttle is claimed fleet-wide (fleet-claims.ts) before it is queued;
 * only the instance that wins the claim delivers. Claims run one at a time, in order, off the
 * caller's path.
 */
import { createSystemClock, type Clock, type TimerHandle } from '../core/clock.js';
import type { AlertEvent } from '../health/types.js';
import type { AlertClaimStore } from '../storage/alert-claim-store.js';
import { DedupeWindow, dedupeKey } from './dedupe.js';
import { deliverOnce } from './deliver.js';
import { FleetClaims } from './fleet-claims.js';
import { createHttpAlertSender, type ClosableAlertSender } from './http-sender.js';
import { maskUrl } from './mask-url.js';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelay, type RetryPolicy } from './retry-policy.js';
import type { AlertEventType, AlertSender, AlertTarget } from './types.js';

export interface AlertDispatcherOptions {
  targets: AlertTarget[];
  clock?: Clock;
  /** For backoff jitter; inject a fixed one in tests. */
  random?: () => number;
  send?: AlertSender;
  /** Public status page URL, linked from messages. */
  statusUrl?: string;
  /** Pending deliveries (all targets) before the oldest is dropped. Default 1000. */
  maxQueue?: number;
  /** Deliveries in flight at once. Default 4. */
  concurrency?: number;
  /** Per-attempt timeout. Default 10 s. */
  timeoutMs?: number;
  /** Same event for the same incident+update within this window is sent once. Default 15 min. */
  dedupeWindowMs?: number;
  /** At most one incident.updated per incident per interval (latest wins). Default 5 min. */
  updateIntervalMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Called after each failed attempt (e.g. to log); the report contains no secrets. */
  onFailure?: (report: DeliveryReport) => void;
  /** The fleet's shared claims (storage: redis): one instance delivers each alert. Absent: this instance alone. */
  claims?: AlertClaimStore;
  /** How long the fleet remembers an open incident and its resolve at most. Default 24 h. */
  episodeTtlMs?: number;
  /** Called when the claims store stops answering (this instance then delivers alone) and when it answers again. */
  onClaimsAvailable?: (available: boolean, err?: unknown) => void;
}

export interface DeliveryReport {
  target: string;
  /** Masked: scheme and host only. */
  url: string;
  event: AlertEventType;
  attempt: number;
  status?: number;
  reason: string;
  willRetry: boolean;
}

export interface TargetStats {
  name: string;
  type: AlertTarget['type'];
  url: string;
  sent: number;
  failed: number;
  retried: number;
  dropped: number;
  lastError?: { at: number; reason: string };
}

export interface AlertStats {
  sent: number;
  failed: number;
  retried: number;
  dropped: number;
  deduplicated: number;
  /** Events another instance of the fleet claimed (and delivers). */
  claimedElsewhere: number;
  /** Events delivered without asking the fleet because the claims store did not answer. */
  deliveredAlone: number;
  /** incident.updated events folded into a later one by the per-incident throttle. */
  coalesced: number;
  queued: number;
  inFlight: number;
  targets: TargetStats[];
}

interface Job {
  target: AlertTarget;
  stats: TargetStats;
  event: AlertEvent;
  /** Attempts made so far. */
  attempts: number;
  readyAt: number;
}

export class AlertDispatcher {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly send: AlertSender;
  /** The sender this dispatcher made (closed with it); none when one was given. */
  private ownSender: ClosableAlertSender | undefined;
  private readonly policy: RetryPolicy;
  private readonly maxQueue: number;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly updateIntervalMs: number;
  private readonly dedupe: DedupeWindow;
  private readonly targetStats = new Map<string, TargetStats>();
  private readonly pending: Job[] = [];
  private inFlight = 0;
  private timer: { handle: TimerHandle; at: number } | undefined;
  private pumpScheduled = false;
  private closed = false;
  private readonly lastUpdateSent = new Map<string, number>();
  private readonly heldUpdates = new Map<string, { event: AlertEvent; timer: TimerHandle }>();
  private idleWaiters: (() => void)[] = [];
  private readonly counters = { sent: 0, failed: 0, retried: 0, dropped: 0, deduplicated: 0, claimedElsewhere: 0, deliveredAlone: 0, coalesced: 0 };
  private readonly fleet: FleetClaims | undefined;
  /** Claims asked of the fleet, one after another; `claiming` counts those not answered yet. */
  private claimChain: Promise<void> = Promise.resolve();
  private claiming = 0;
  private claimsAvailable = true;

  constructor(private readonly opts: AlertDispatcherOptions) {
    this.clock = opts.clock ?? createSystemClock();
    this.random = opts.random ?? Math.random;
    if (opts.send) this.send = opts.send;
    else this.send = this.ownSender = createHttpAlertSender();
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.maxQueue = Math.max(1, opts.maxQueue ?? 1000);
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.updateIntervalMs = opts.updateIntervalMs ?? 5 * 60_000;
    const dedupeWindowMs = opts.dedupeWindowMs ?? 15 * 60_000;
    this.dedupe = new DedupeWindow(this.clock, dedupeWindowMs);
    if (opts.claims) {
      this.fleet = new FleetClaims(opts.claims, { dedupeWindowMs, updateBucketMs: this.updateIntervalMs, episodeTtlMs: opts.episodeTtlMs ?? 24 * 3_600_000 });
    }
    for (const t of opts.targets) {
      this.targetStats.set(t.name, { name: t.name, type: t.type, url: maskUrl(t.url), sent: 0, failed: 0, retried: 0, dropped: 0 });
    }
  }

  /** Enqueue an event for every target that wants it. Never blocks, never throws. */
  dispatch(event: AlertEvent): void {
    if (this.closed) return;
    const key = dedupeKey(event);
    if (key !== undefined && !this.dedupe.admit(key)) {
      this.counters.deduplicated++;
      return;
    }
    if (event.type === 'incident.updated' && this.throttleUpdate(event)) return;
    if (event.type === 'incident.resolved') this.forgetIncident(event.incident.id, true);
    if (event.type === 'incident.opened') this.lastUpdateSent.set(event.incident.id, this.clock.now());
    this.queueAdmitted(event);
  }

  stats(): AlertStats {
    return {
      ...this.counters,
      queued: this.pending.length,
      inFlight: this.inFlight,
      targets: [...this.targetStats.values()].map((s) => ({ ...s })),
    };
  }

  /** Resolves when nothing is being claimed, queued, in flight, waiting to retry or held by the throttle. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stop accepting events and cancel pending work; waits for deliveries in flight. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) this.clock.clearTimeout(this.timer.handle);
    this.timer = undefined;
    for (const { timer } of this.heldUpdates.values()) this.clock.clearTimeout(timer);
    this.heldUpdates.clear();
    this.pending.length = 0;
    await this.whenIdle();
    await this.ownSender?.close();
  }

  /**
   * Queue what dedupe and the throttle let through: at once when alone, after the fleet's claim
   * otherwise (so an update the throttle held is claimed when it is finally sent, as the latest news).
   */
  private queueAdmitted(event: AlertEvent): void {
    if (this.fleet && event.type !== 'test') this.claimThenEnqueue(this.fleet, event);
    else this.enqueue(event);
  }

  private claimThenEnqueue(fleet: FleetClaims, event: AlertEvent): void {
    this.claiming++;
    this.claimChain = this.claimChain
      .then(async () => {
        let out: AlertEvent | undefined;
        try {
          out = await fleet.claim(event, this.clock.now());
          this.claimsAnswered(true);
        } catch (e) {
          // Duplicates are possible while the fleet cannot be asked; a lost alert is not.
          out = fleet.alone(event);
          this.counters.deliveredAlone++;
          this.claimsAnswered(false, e);
        }
        if (out === undefined) this.counters.claimedElsewhere++;
        else if (!this.closed) this.enqueue(out);
      })
      .finally(() => {
        this.claiming--;
        this.notifyIdle();
      });
  }

  private claimsAnswered(available: boolean, err?: unknown): void {
    if (available === this.claimsAvailable) return;
    this.claimsAvailable = available;
    try {
      this.opts.onClaimsAvailable?.(available, err);
    } catch {
      // A logging hook must never break delivery.
    }
  }

  private enqueue(event: AlertEvent): void {
    const now = this.clock.now();
    for (const target of this.opts.targets) {
      if (event.type !== 'test' && target.events && !target.events.includes(event.type)) continue;
      if (this.pending.length >= this.maxQueue) {
        const dropped = this.pending.shift()!;
        dropped.stats.dropped++;
        this.counters.dropped++;
      }
      this.pending.push({ target, stats: this.targetStats.get(target.name)!, event, attempts: 0, readyAt: now });
    }
    this.schedulePump();
  }

  /** True when the update is held back (and will be sent, or replaced, later). */
  private throttleUpdate(event: Extract<AlertEvent, { incident: unknown }>): boolean {
    const id = event.incident.id;
    const now = this.clock.now();
    const held = this.heldUpdates.get(id);
    if (held) {
      held.event = event;
      this.counters.coalesced++;
      return true;
    }
    const last = this.lastUpdateSent.get(id);
    if (last === undefined || now - last >= this.updateIntervalMs) {
      this.lastUpdateSent.set(id, now);
      this.pruneUpdateTimes(now);
      return false;
    }
    const timer = this.clock.setTimeout(() => {
      const h = this.heldUpdates.get(id);
      this.heldUpdates.delete(id);
      if (!h || this.closed) return this.notifyIdle();
      this.lastUpdateSent.set(id, this.clock.now());
      this.queueAdmitted(h.event);
    }, last + this.updateIntervalMs - now);
    this.heldUpdates.set(id, { event, timer });
    return true;
  }

  private forgetIncident(id: string, countHeld: boolean): void {
    const held = this.heldUpdates.get(id);
    if (held) {
      this.clock.clearTimeout(held.timer);
      this.heldUpdates.delete(id);
      // The resolve supersedes it: the update it carried is no longer news.
      if (countHeld) this.counters.coalesced++;
    }
    this.lastUpdateSent.delete(id);
  }

  private pruneUpdateTimes(now: number): void {
    if (this.lastUpdateSent.size <= 10_000) return;
    for (const [id, at] of this.lastUpdateSent) if (now - at >= this.updateIntervalMs) this.lastUpdateSent.delete(id);
  }

  /** Run the pump after the caller's synchronous code: dispatch() must stay cheap. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    const now = this.clock.now();
    while (this.inFlight < this.concurrency) {
      const idx = this.pending.findIndex((j) => j.readyAt <= now);
      if (idx < 0) break;
      const [job] = this.pending.splice(idx, 1);
      this.inFlight++;
      void this.attempt(job!).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
    this.armTimer(now);
    this.notifyIdle();
  }

  private armTimer(now: number): void {
    let next = Infinity;
    for (const j of this.pending) if (j.readyAt > now && j.readyAt < next) next = j.readyAt;
    if (this.timer && (next === Infinity || this.timer.at !== next)) {
      this.clock.clearTimeout(this.timer.handle);
      this.timer = undefined;
    }
    if (next !== Infinity && !this.timer) {
      const handle = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, next - now);
      this.timer = { handle, at: next };
    }
  }

  private async attempt(job: Job): Promise<void> {
    job.attempts++;
    const ctx = { now: this.clock.now(), ...(this.opts.statusUrl ? { statusUrl: this.opts.statusUrl } : {}) };
    const r = await deliverOnce(job.target, job.event, ctx, this.send, this.timeoutMs);
    if (r.ok) {
      job.stats.sent++;
      this.counters.sent++;
      return;
    }
    const now = this.clock.now();
    const reason = r.reason ?? 'failed';
    job.stats.lastError = { at: now, reason };
    const willRetry = r.retryable && job.attempts < this.policy.maxAttempts && !this.closed;
    this.report({ target: job.target.name, url: job.stats.url, event: job.event.type, attempt: job.attempts, ...(r.status ? { status: r.status } : {}), reason, willRetry });
    if (!willRetry) {
      job.stats.failed++;
      this.counters.failed++;
      return;
    }
    const retryAfterMs = r.status === 429 ? parseRetryAfter(r.retryAfter, now) : undefined;
    job.readyAt = now + retryDelay(this.policy, job.attempts, this.random, retryAfterMs);
    job.stats.retried++;
    this.counters.retried++;
    if (this.pending.length >= this.maxQueue) {
      // A retry competes for the same bounded space; the oldest pending loses.
      const dropped = this.pending.shift()!;
      dropped.stats.dropped++;
      this.counters.dropped++;
    }
    this.pending.push(job);
  }

  private report(r: DeliveryReport): void {
    try {
      this.opts.onFailure?.(r);
    } catch {
      // A logging hook must never break delivery.
    }
  }

  private isIdle(): boolean {
    return this.pending.length === 0 && this.inFlight === 0 && this.heldUpdates.size === 0 && this.claiming === 0;
  }

  private notifyIdle(): void {
    if (!this.isIdle() || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
