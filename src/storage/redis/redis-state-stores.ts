/** The router's stores, the lease store and the alert claims on one Redis connection (one subscriber for both channels). */
import { createSystemClock } from '../../core/clock.js';
import type { StateStoreOptions, StateStores } from '../state-stores.js';
import { RedisAlertClaimStore } from './redis-alert-claim-store.js';
import { RedisBreakerStore } from './redis-breaker-store.js';
import { openRedisConnection } from './redis-connection.js';
import { RedisCooldownStore } from './redis-cooldown-store.js';
import { RedisCounterStore } from './redis-counter-store.js';
import { RedisLeaseStore } from './redis-lease-store.js';

export async function openRedisStateStores(opts: Extract<StateStoreOptions, { kind: 'redis' }>): Promise<StateStores> {
  const clock = opts.clock ?? createSystemClock();
  const conn = await openRedisConnection({ url: opts.url, ...(opts.keyPrefix === undefined ? {} : { keyPrefix: opts.keyPrefix }) });
  try {
    const cooldowns = await RedisCooldownStore.open(conn, clock);
    const breakers = await RedisBreakerStore.open(conn);
    const counters = new RedisCounterStore(conn, { clock, ...(opts.mergeEveryMs === undefined ? {} : { mergeEveryMs: opts.mergeEveryMs }) });
    return {
      cooldowns,
      breakers,
      counters,
      leases: new RedisLeaseStore(conn),
      alertClaims: new RedisAlertClaimStore(conn),
      connection: conn,
      status: () => ({ kind: 'redis', connected: conn.ready, failedWrites: cooldowns.failedWrites + breakers.failedWrites + counters.failedMerges }),
      close: async () => {
        await counters.close();
        await conn.close();
      },
    };
  } catch (e) {
    await conn.close();
    throw e;
  }
}
