/**
 * Leases in Redis: SET NX PX to take one, PEXPIRE by its holder to renew, one script each so a
 * holder never renews or deletes a lease that has meanwhile passed to another instance.
 */
import type { LeaseStore } from '../lease-store.js';
import { luaScript, type RedisConnection } from './redis-connection.js';

/** KEYS: the lease. ARGV: owner, ttl. */
const ACQUIRE = luaScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]); return 1 end
return 0
`);

const RELEASE = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

export class RedisLeaseStore implements LeaseStore {
  constructor(private readonly conn: RedisConnection) {}

  async acquire(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.conn.eval(ACQUIRE, [this.conn.key(`lease:${name}`)], [owner, Math.max(1, Math.ceil(ttlMs))])) === 1;
  }

  async release(name: string, owner: string): Promise<void> {
    await this.conn.eval(RELEASE, [this.conn.key(`lease:${name}`)], [owner]);
  }
}
