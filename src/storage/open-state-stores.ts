/** Opens the shared-state stores a configuration asks for; ioredis loads only when Redis is the one. */
import type { StateStoreOptions, StateStores } from './state-stores.js';

export async function openStateStores(opts: StateStoreOptions): Promise<StateStores> {
  if (opts.kind === 'memory') {
    const [{ MemoryCooldownStore }, { MemoryBreakerStore }, { MemoryCounterStore }, { MemoryLeaseStore }] = await Promise.all([
      import('./memory/memory-cooldown-store.js'),
      import('./memory/memory-breaker-store.js'),
      import('./memory/memory-counter-store.js'),
      import('./memory/memory-lease-store.js'),
    ]);
    return {
      cooldowns: new MemoryCooldownStore(),
      breakers: new MemoryBreakerStore(),
      counters: new MemoryCounterStore(),
      leases: new MemoryLeaseStore(),
      status: () => ({ kind: 'memory', connected: true, failedWrites: 0 }),
      close: async () => {},
    };
  }
  const { openRedisStateStores } = await import('./redis/redis-state-stores.js');
  return openRedisStateStores(opts);
}
