/**
 * Alert claims in Redis: one script reads the holder or takes the key (SET PX), so two instances
 * claiming at once get the same answer, the first one's value.
 */
import type { AlertClaimStore } from '../alert-claim-store.js';
import { luaScript, type RedisConnection } from './redis-connection.js';

/** KEYS: the claim. ARGV: value, ttl. Returns the holder's value. */
const CLAIM = luaScript(`
local held = redis.call('GET', KEYS[1])
if held then return held end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]
`);

const RELEASE = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

export class RedisAlertClaimStore implements AlertClaimStore {
  constructor(private readonly conn: RedisConnection) {}

  async claim(key: string, value: string, ttlMs: number): Promise<string> {
    return String(await this.conn.eval(CLAIM, [this.conn.key(`alert:${key}`)], [value, Math.max(1, Math.ceil(ttlMs))]));
  }

  async release(key: string, value: string): Promise<void> {
    await this.conn.eval(RELEASE, [this.conn.key(`alert:${key}`)], [value]);
  }
}
