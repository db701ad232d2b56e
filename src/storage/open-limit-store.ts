/** Opens the limit store a configuration asks for; ioredis loads only when Redis is the one. */
import type { LimitStore, LimitStoreOptions } from './limit-store.js';

export async function openLimitStore(opts: LimitStoreOptions = { kind: 'memory' }): Promise<LimitStore> {
  if (opts.kind === 'memory') {
    const { MemoryLimitStore } = await import('./memory/memory-limit-store.js');
    return new MemoryLimitStore();
  }
  const { openRedisLimitStore } = await import('./redis/open-redis-limit-store.js');
  return openRedisLimitStore(opts);
}
