/** Opens the shared-state stores a configuration asks for; ioredis loads only when Redis is the one. */
import { createSystemClock } from '../core/clock.js';
import type { StateStoreOptions, StateStores } from './state-stores.js';

export async function openStateStores(opts: StateStoreOptions): Promise<StateStores> {
  if (opts.kind === 'memory') {
    const [{ MemoryCooldownStore }, { MemoryBreakerStore }, { MemoryCounterStore }, { MemoryLeaseStore }, { MemoryAlertClaimStore }] = await Promise.all([
      import('./memory/memory-cooldown-store.js'),
      import('./memory/memory-breaker-store.js'),
      import('./memory/memory-counter-store.js'),
      import('./memory/memory-lease-store.js'),
      import('./memory/memory-alert-claim-store.js'),
    ]);
    return {
      cooldowns: new MemoryCooldownStore(),
      breakers: new MemoryBreakerStore(),
      counters: new MemoryCounterStore(),
      leases: new MemoryLeaseStore(),
      alertClaims: new MemoryAlertClaimStore(opts.clock ?? createSystemClock()),
      status: () => ({ kind: 'memory', connected: true, failedWrites: 0 }),
      close: async () => {},
    };
  }
  const { openRedisStateStores } = await import('./redis/redis-state-stores.js');
  return openRedisStateStores(opts);
}
