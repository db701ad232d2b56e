/**
 * HealthTracker: the OutcomeSink the request path feeds (record() only
 * touches memory), the per-component state machines, the incident book, and
 * batched, asynchronous writes to the HealthStore — never on the hot path.
 * Everything runs on the injected Clock, so tests drive it with ManualClock.
 */
import type { AttemptOutcome, OutcomeSink } from '../core/attempt-outcome.js';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { HealthStore } from '../storage/health-store.js';
import { alignTo, emptyBucket, type MetricsBucket } from '../storage/metrics-store.js';
import { STATE_INDEX, ttftBucketIndex } from './metrics-math.js';
import { ComponentHealth, countsAsFailure } from './component-health.js';
import { DEFAULT_HEALTH_POLICY, type HealthPolicy } from './health-policy.js';
import { IncidentBook } from './incident-book.js';
import { BucketCache } from './bucket-cache.js';
import { buildStatusSnapshot } from './status-snapshot.js';
import type { StatusSource } from './status-source.js';
import type { AlertEvent, ComponentState, Incident, StatusSnapshot } from './types.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Unflushed buckets kept while the store is failing; beyond this the oldest are dropped (bounded memory). */
const MAX_PENDING = 20_000;

export interface HealthTrackerOptions {
  store: HealthStore;
  clock: Clock;
  /** Components to show even before any traffic (every configured provider/model). */
  components?: { provider: string; model: string }[];
  policy?: Partial<HealthPolicy>;
  /** Days of buckets and resolved incidents to keep. */
  retentionDays?: number;
  /** Storage failures: reported, never thrown into the request path. */
  onError?: (err: unknown, what: string) => void;
  newIncidentId?: () => string;
}

export class HealthTracker implements OutcomeSink, StatusSource {
  readonly policy: HealthPolicy;
  readonly retentionDays: number;
  private readonly components = new Map<string, ComponentHealth>();
  private readonly pending = new Map<string, MetricsBucket>();
  private readonly listeners = new Set<(e: AlertEvent) => void>();
  private readonly book: IncidentBook;
  private writes: Promise<void> = Promise.resolve();
  private timer: TimerHandle | undefined;
  private lastFlushAt: number;
  private lastPruneAt = -Infinity;
  private currentMinute: number;
  private droppedBuckets = 0;
  private started = false;
  /** Past buckets do not change: snapshots re-read only the last 2 days / 2 hours. */
  private readonly dayCache: BucketCache;
  private readonly quarterCache: BucketCache;

  constructor(private readonly opts: HealthTrackerOptions) {
    this.policy = { ...DEFAULT_HEALTH_POLICY, ...opts.policy };
    this.retentionDays = opts.retentionDays ?? 90;
    const now = opts.clock.now();
    this.lastFlushAt = now;
    this.currentMinute = alignTo('minute', now);
    this.dayCache = new BucketCache(opts.store.metrics, 2 * DAY);
    this.quarterCache = new BucketCache(opts.store.metrics, 2 * 3_600_000);
    for (const c of opts.components ?? []) this.component(c.provider, c.model);
    this.book = new IncidentBook({
      resolveAfterMs: this.policy.resolveAfterMs,
      ...(opts.newIncidentId ? { newId: opts.newIncidentId } : {}),
      onChange: (e) => {
        this.persist(e.incident);
        this.emit(e);
      },
    });
  }

  /** Restore open incidents from storage and start the evaluation timer. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // Timers first (synchronously), so evaluation runs even while the store is slow to answer.
    this.schedule();
    try {
      this.book.restore(await this.opts.store.incidents.listOpen(), this.opts.clock.now());
    } catch (e) {
      this.reportError(e, 'loading open incidents');
    }
  }

  /** Stop timers and write what is buffered. */
  async close(): Promise<void> {
    this.started = false;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Hot path: memory only, never throws. */
  record(o: AttemptOutcome): void {
    try {
      const c = this.component(o.provider, o.model);
      if (!c) return;
      c.record(o);
      const b = this.pendingBucket(c, alignTo('minute', o.at));
      const failed = countsAsFailure(o);
      if (o.probe) {
        b.probes++;
        if (failed) b.probeErrors++;
      } else {
        b.requests++;
        if (failed) b.errors++;
      }
      if (!o.ok && o.kind) b.errorsByKind[o.kind] = (b.errorsByKind[o.kind] ?? 0) + 1;
      if (o.ok && o.ttftMs !== undefined) b.ttftHist[ttftBucketIndex(o.ttftMs)]!++;
    } catch {
      // The sink must never break a request; a lost sample is acceptable.
    }
  }

  /** Subscribe to incident events (alerts). Returns an unsubscribe function. */
  onEvent(cb: (e: AlertEvent) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Current state of a component, for tests, probes and the snapshot. */
  stateOf(id: string): { state: ComponentState; since: number; lastTrafficAt: number; lastOutcomeAt: number } | undefined {
    const c = this.components.get(id);
    return c && { state: c.state, since: c.since, lastTrafficAt: c.lastTrafficAt, lastOutcomeAt: c.lastOutcomeAt };
  }

  componentList(): { id: string; provider: string; model: string }[] {
    return [...this.components.values()].map((c) => ({ id: c.id, provider: c.provider, model: c.model }));
  }

  openIncidents(): Incident[] {
    return this.book.openIncidents();
  }

  /**
   * Evaluate every component at the clock's now: state transitions,
   * incidents, minute accounting, and (when due) a flush and a prune.
   * Called by the timer; tests may call it directly.
   */
  tick(): void {
    const now = this.opts.clock.now();
    this.closeMinutes(now);
    const states = (id: string) => this.components.get(id)?.state ?? 'operational';
    for (const c of this.components.values()) {
      const t = c.evaluate(now);
      const w = c.window(now);
      if (t) this.book.onTransition(c.id, c.provider, t, w.errorRate, states);
      else if (w.requests > 0) this.book.observe(c.provider, w.errorRate);
    }
    this.book.tick(now, states);
    if (now - this.lastFlushAt >= this.policy.flushIntervalMs) void this.flush();
    if (now - this.lastPruneAt >= 3_600_000) this.prune(now);
  }

  /** Write buffered buckets (one batch); resolves when written. Never rejects. */
  flush(): Promise<void> {
    this.lastFlushAt = this.opts.clock.now();
    if (this.pending.size > 0) {
      const batch = [...this.pending.values()];
      this.pending.clear();
      this.lastBucket = undefined;
      this.chain(() => this.opts.store.metrics.add(batch), 'writing health metrics');
    }
    return this.writes;
  }

  async statusSnapshot(now: number): Promise<StatusSnapshot> {
    await this.flush();
    return buildStatusSnapshot({
      store: this.opts.store,
      read: (q) => (q.resolution === 'day' ? this.dayCache : this.quarterCache).read(q, now),
      now,
      components: [...this.components.values()].map((c) => ({ id: c.id, provider: c.provider, model: c.model, state: c.state, since: c.since })),
      openIncidents: this.book.openIncidents(),
    });
  }

  /** Buckets dropped because storage could not keep up (visible, never silent). */
  get dropped(): number {
    return this.droppedBuckets;
  }

  /** By provider, then model: both are the config's own strings, so no key is built per request. */
  private readonly byProvider = new Map<string, Map<string, ComponentHealth>>();

  private component(provider: string, model: string): ComponentHealth | undefined {
    let models = this.byProvider.get(provider);
    const known = models?.get(model);
    if (known) return known;
    const id = `${provider}/${model}`;
    let c = this.components.get(id);
    if (!c) {
      if (this.components.size >= this.policy.maxComponents) return undefined;
      c = new ComponentHealth(id, provider, model, this.policy, this.opts.clock.now());
      this.components.set(id, c);
    }
    if (!models) this.byProvider.set(provider, (models = new Map()));
    models.set(model, c);
    return c;
  }

  /** The last bucket recorded into, while still pending (a flush or a drop forgets it). */
  private lastBucket: MetricsBucket | undefined;

  /** The unflushed bucket of `c` for the minute at `start`. */
  private pendingBucket(c: ComponentHealth, start: number): MetricsBucket {
    const last = this.lastBucket;
    if (last && last.start === start && last.component === c.id) return last;
    const key = `${c.id}\n${start}`;
    let b = this.pending.get(key);
    if (!b) {
      if (this.pending.size >= MAX_PENDING) this.dropOldestPending();
      this.pending.set(key, (b = emptyBucket(c.id, start)));
    }
    this.lastBucket = b;
    return b;
  }

  /** Account each finished minute's worst state to the components observed in it. */
  private closeMinutes(now: number): void {
    const minute = alignTo('minute', now);
    if (minute <= this.currentMinute) return;
    // After a long pause (suspended laptop) do not invent hours of minutes: account at most one hour.
    const from = Math.max(this.currentMinute, minute - 60 * MINUTE);
    for (const c of this.components.values()) {
      const worst = c.closeMinute();
      for (let m = from; m < minute; m += MINUTE) {
        const s = m === this.currentMinute ? worst : c.state;
        // Uptime counts only watched minutes: recent outcomes, or a known problem (traffic routed away from an outage is still down time).
        if (c.lastOutcomeAt < m - this.policy.observedWithinMs && s === 'operational') continue;
        const key = `${c.id}\n${m}`;
        let b = this.pending.get(key);
        if (!b) this.pending.set(key, (b = emptyBucket(c.id, m)));
        b.stateMinutes[STATE_INDEX[s]]!++;
      }
    }
    this.currentMinute = minute;
  }

  private prune(now: number): void {
    this.lastPruneAt = now;
    const before = now - this.retentionDays * DAY;
    this.chain(async () => {
      await this.opts.store.metrics.prune(before);
      await this.opts.store.incidents.prune(before);
    }, 'pruning old health data');
  }

  private persist(incident: Incident): void {
    this.chain(() => this.opts.store.incidents.upsert(incident), 'saving an incident');
  }

  private chain(fn: () => Promise<void>, what: string): void {
    this.writes = this.writes.then(fn).catch((e: unknown) => this.reportError(e, what));
  }

  private emit(e: AlertEvent): void {
    for (const cb of this.listeners) {
      try {
        cb(e);
      } catch (err) {
        this.reportError(err, 'an incident event listener');
      }
    }
  }

  private reportError(e: unknown, what: string): void {
    try {
      this.opts.onError?.(e, what);
    } catch {
      // nothing more to do
    }
  }

  private dropOldestPending(): void {
    const first = this.pending.keys().next();
    this.lastBucket = undefined;
    if (!first.done) {
      this.pending.delete(first.value);
      this.droppedBuckets++;
    }
  }

  private schedule(): void {
    if (!this.started) return;
    this.timer = this.opts.clock.setTimeout(() => {
      this.tick();
      this.schedule();
    }, this.policy.evalIntervalMs);
  }
}
