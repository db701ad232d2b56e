/**
 * The Redis LimitStore as a gateway uses it: the shared store behind the degradation wrapper,
 * with this instance's heartbeat in the live-instance set that sizes the fallback share.
 */
import { createSystemClock } from '../../core/clock.js';
import type { LimitStoreOptions } from '../limit-store.js';
import { DegradedLimitStore } from './degraded-limit-store.js';
import { InstanceRegistry } from './instance-registry.js';
import { openRedisConnection } from './redis-connection.js';
import { RedisLimitStore } from './redis-limit-store.js';

export async function openRedisLimitStore(opts: Extract<LimitStoreOptions, { kind: 'redis' }>): Promise<DegradedLimitStore> {
  const own = !('connection' in opts);
  const conn = 'connection' in opts ? opts.connection : await openRedisConnection({ url: opts.url, ...(opts.keyPrefix === undefined ? {} : { keyPrefix: opts.keyPrefix }) });
  const clock = opts.clock ?? createSystemClock();
  const registry = new InstanceRegistry(conn, { clock, ...(opts.heartbeatMs === undefined ? {} : { heartbeatMs: opts.heartbeatMs }), ...(opts.fallbackInstances === undefined ? {} : { fallbackInstances: opts.fallbackInstances }) });
  await registry.start();
  const shared = new RedisLimitStore(conn, opts.granularityMs === undefined ? {} : { granularityMs: opts.granularityMs });
  return new DegradedLimitStore(shared, {
    clock,
    instances: () => registry.current(),
    ...(opts.log ? { log: opts.log } : {}),
    onClose: async () => {
      await registry.close();
      if (own) await conn.close();
    },
  });
}
