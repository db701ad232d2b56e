/**
 * The live gateway instances, by heartbeat: each instance writes its id with the time into one
 * sorted set every heartbeatMs, and whoever reads drops ids not seen for ttlMs. The count divides
 * the limits when Redis is away (degraded-limit-store.ts); while Redis is away nobody can count,
 * so the last count read stands (and says it is stale), and before any count was read the
 * configured fallback does.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';
import { luaScript, type RedisConnection } from './redis-connection.js';

/** KEYS: the set. ARGV: id, now, ttl. One round trip: beat, forget the silent, count. */
const BEAT = luaScript(`
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[2]) - tonumber(ARGV[3]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 4)
return redis.call('ZCARD', KEYS[1])
`);

export interface InstanceCount {
  /** At least 1. */
  count: number;
  /** 'live': read from Redis within the last ttl; 'last-known': Redis is away, this is the last count read; 'fallback': never read. */
  source: 'live' | 'last-known' | 'fallback';
}

export interface InstanceRegistryOptions {
  clock: Clock;
  heartbeatMs?: number;
  ttlMs?: number;
  /** Used before any count was read from Redis (default 2: a fleet that configured Redis has at least two). */
  fallbackInstances?: number;
}

export class InstanceRegistry {
  private last: number | undefined;
  private lastAt = -Infinity;
  private timer: TimerHandle | undefined;
  private closed = false;
  private readonly heartbeatMs: number;
  private readonly ttlMs: number;

  constructor(
    private readonly conn: RedisConnection,
    private readonly opts: InstanceRegistryOptions,
  ) {
    this.heartbeatMs = opts.heartbeatMs ?? 5_000;
    this.ttlMs = opts.ttlMs ?? 3 * this.heartbeatMs;
  }

  /** Beat once now (waits for it), then every heartbeatMs. */
  async start(): Promise<void> {
    await this.beat();
    this.schedule();
  }

  current(): InstanceCount {
    if (this.last === undefined) return { count: Math.max(1, this.opts.fallbackInstances ?? 2), source: 'fallback' };
    const fresh = this.opts.clock.now() - this.lastAt <= this.ttlMs;
    return { count: Math.max(1, this.last), source: fresh ? 'live' : 'last-known' };
  }

  /** Beat now; a failure leaves the last count standing. */
  async beat(): Promise<void> {
    try {
      const now = this.opts.clock.now();
      this.last = Number(await this.conn.eval(BEAT, [this.conn.key('instances')], [this.conn.instanceId, now, this.ttlMs]));
      this.lastAt = now;
    } catch {
      // Redis away: current() reports the last count as last-known.
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    // Leave at once, so the others' shares grow without waiting for the ttl.
    await this.conn.client.zrem(this.conn.key('instances'), this.conn.instanceId).catch(() => undefined);
  }

  private schedule(): void {
    if (this.closed) return;
    this.timer = this.opts.clock.setTimeout(() => {
      void this.beat().finally(() => this.schedule());
    }, this.heartbeatMs);
  }
}
