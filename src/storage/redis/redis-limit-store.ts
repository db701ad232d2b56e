/**
 * Redis LimitStore (issue #27): the per-key and per-team counters of every gateway instance in
 * one place, with the memory adapter's semantics (limit-store-contract.ts runs against both).
 * The operations asked for in one event-loop turn go to Redis as one EVALSHA (limit-batch.ts,
 * limit-scripts.ts), run in order and atomically: at 32 connections several requests share a
 * turn, and each pays a share of one round trip instead of two of its own. Admission stays
 * Redis's decision; nothing is counted locally.
 *
 * Redis Cluster: a request's keys span subjects (key and team), so they may hash to different
 * slots; this adapter expects one Redis primary (replicas and Sentinel are fine). Amounts are
 * integers (tokens, micro-dollars); a fractional amount is rounded.
 */
import { type LimitRule, type LimitStore, type ReserveRequest, type ReserveResult, type SettleRequest, type SubjectUsage, WINDOW_MS } from '../limit-store.js';
import { LimitBatch } from './limit-batch.js';
import { LIMIT_BATCH } from './limit-scripts.js';
import type { RedisConnection } from './redis-connection.js';

const DAY_MS = 86_400_000;
/** Operations per script call: a longer script would hold Redis (it runs scripts alone) for too long. */
const MAX_BATCH = 64;
/** Subjects whose key names are kept built; past this the cache starts again. */
const MAX_KEY_CACHE = 10_000;

export interface RedisLimitStoreOptions {
  /** Bucket length; the window holds WINDOW_MS / granularityMs + 1 of them (default 1,000 ms, as in memory). */
  granularityMs?: number;
  /** Close the connection with the store (default: the caller owns it). */
  ownsConnection?: boolean;
}

export class RedisLimitStore implements LimitStore {
  private readonly g: number;
  private readonly slots: number;
  /** The batch taking operations. */
  private open: LimitBatch | undefined;
  /** Batches closed (full, or their bucket or day passed) and not sent yet, oldest first. */
  private readonly closed: LimitBatch[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private pumpScheduled = false;
  private readonly keyNames = new Map<string, readonly string[]>();
  private readonly keysOf = (subject: string): readonly string[] => this.subjectKeys(subject);
  private readonly pumpNow = (): void => {
    this.pumpScheduled = false;
    this.pump();
  };

  constructor(
    private readonly conn: RedisConnection,
    private readonly opts: RedisLimitStoreOptions = {},
  ) {
    this.g = opts.granularityMs ?? 1000;
    this.slots = Math.ceil(WINDOW_MS / this.g) + 1;
  }

  reserve(req: ReserveRequest): Promise<ReserveResult> {
    return this.batchFor(req.now).reserve(req);
  }

  settle(req: SettleRequest): Promise<void> {
    return this.batchFor(req.now).settle(req);
  }

  async usage(rules: readonly LimitRule[], now: number): Promise<SubjectUsage[]> {
    if (rules.length === 0) return [];
    return this.batchFor(now).usage(rules, now);
  }

  async close(): Promise<void> {
    while (this.open || this.closed.length > 0 || this.inFlight.size > 0) {
      this.pump(true);
      await Promise.allSettled([...this.inFlight]);
    }
    if (this.opts.ownsConnection) await this.conn.close();
  }

  /** The batch taking operations at `now`: a new one when the open one is full or `now` left its bucket or day. */
  private batchFor(now: number): LimitBatch {
    const bucket = Math.floor(now / this.g);
    const day = Math.floor(now / DAY_MS);
    const b = this.open;
    if (b && b.bucket === bucket && b.day === day && b.size < MAX_BATCH) return b;
    if (b) this.closed.push(b);
    const next = new LimitBatch(bucket, day, this.keysOf);
    this.open = next;
    this.schedulePump();
    return next;
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(this.pumpNow);
  }

  /**
   * Send what waits, at the end of a turn: with no call in flight, everything; with one in flight,
   * only full batches. The rest waits for the answer, gathering the operations asked for meanwhile,
   * so under load a call carries what a round trip's worth of requests asked.
   */
  private pump(all = false): void {
    while (this.closed.length > 0 && (all || this.inFlight.size === 0 || this.closed[0]!.size >= MAX_BATCH)) this.send(this.closed.shift()!);
    if (this.open && this.closed.length === 0 && (all || this.inFlight.size === 0)) {
      const b = this.open;
      this.open = undefined;
      this.send(b);
    }
  }

  private send(b: LimitBatch): void {
    const call = this.conn.eval(LIMIT_BATCH, b.keys, b.args(this.g, this.slots)).then(
      (out) => {
        // A reply of an unexpected shape fails its callers rather than leaving them waiting.
        try {
          b.resolve(out as string);
        } catch (e) {
          b.reject(e);
        }
      },
      (e: unknown) => b.reject(e),
    );
    this.inFlight.add(call);
    void call.finally(() => {
      this.inFlight.delete(call);
      if (this.open || this.closed.length > 0) this.schedulePump();
    });
  }

  private subjectKeys(subject: string): readonly string[] {
    let keys = this.keyNames.get(subject);
    if (keys) return keys;
    if (this.keyNames.size >= MAX_KEY_CACHE) this.keyNames.clear();
    const base = this.conn.key(`lim:${subject}:`);
    keys = [`${base}c`, `${base}b`, `${base}l`];
    this.keyNames.set(subject, keys);
    return keys;
  }
}
