/**
 * Parked targets and credentials shared by every instance (issue #27: "a key parked by one
 * instance is respected by the others within 100 ms").
 *
 * Consistency model: reads are the local replica's (synchronous, as the router needs). A parking
 * is applied locally at once, then written to one Redis hash and published in the same script;
 * every instance applies what it hears. Parkings only ever merge by "the longest wins", which is
 * commutative, so the order messages arrive in does not matter and every replica converges to the
 * same set. A replica (re)loads the whole hash when it starts and after each reconnection, so a
 * parking published while it was cut off is not missed. While Redis is away, parkings stay local.
 */
import type { Clock } from '../../core/clock.js';
import type { CooldownStore, Parking } from '../cooldown-store.js';
import { MemoryCooldownStore } from '../memory/memory-cooldown-store.js';
import { luaScript, type RedisConnection } from './redis-connection.js';

/** KEYS: hash. ARGV: field, until, value, ttl ms, channel, message. Longer wins; publishes only a change. */
const PARK = luaScript(`
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur and tonumber(string.match(cur, '^(%-?[%d.]+)|')) >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
redis.call('PUBLISH', ARGV[5], ARGV[6])
return 1
`);

const CHANNEL = 'cooldowns';

export class RedisCooldownStore implements CooldownStore {
  private readonly local = new MemoryCooldownStore();
  /** Failed writes (Redis away), for status and metrics. */
  failedWrites = 0;

  private constructor(
    private readonly conn: RedisConnection,
    private readonly clock: Clock,
  ) {}

  static async open(conn: RedisConnection, clock: Clock): Promise<RedisCooldownStore> {
    const s = new RedisCooldownStore(conn, clock);
    await conn.subscribe(CHANNEL, (m) => s.heard(m));
    conn.onReconnect(() => void s.load());
    await s.load();
    return s;
  }

  get empty(): boolean {
    return this.local.empty;
  }

  park(key: string, until: number, reason: string): Parking {
    const p = this.local.park(key, until, reason);
    if (p.until === until && p.reason === reason) {
      const ttl = Math.max(1, Math.ceil(until - this.clock.now()));
      const message = JSON.stringify({ k: key, u: until, r: reason });
      this.conn.eval(PARK, [this.conn.key(CHANNEL)], [key, until, `${until}|${reason}`, ttl, this.conn.key(CHANNEL), message]).catch(() => this.failedWrites++);
    }
    return p;
  }

  get(key: string, now: number): Parking | undefined {
    return this.local.get(key, now);
  }

  /** Read every parking in Redis into the replica (start, reconnection). */
  async load(): Promise<void> {
    let all: Record<string, string>;
    try {
      all = await this.conn.client.hgetall(this.conn.key(CHANNEL));
    } catch {
      return;
    }
    const now = this.clock.now();
    for (const [key, value] of Object.entries(all)) {
      const bar = value.indexOf('|');
      const until = Number(value.slice(0, bar));
      if (until > now) this.local.park(key, until, value.slice(bar + 1));
    }
  }

  private heard(message: string): void {
    try {
      const m = JSON.parse(message) as { k: string; u: number; r: string };
      this.local.park(m.k, m.u, m.r);
    } catch {
      // Not ours to understand (a newer version's message): ignore.
    }
  }
}
