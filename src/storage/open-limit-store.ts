/** Opens the limit store a configuration asks for. */
import type { LimitStore, LimitStoreOptions } from './limit-store.js';

/** Memory only for now; the Redis adapter (issue #27) adds its own kind. */
export async function openLimitStore(_opts: LimitStoreOptions = { kind: 'memory' }): Promise<LimitStore> {
  const { MemoryLimitStore } = await import('./memory/memory-limit-store.js');
  return new MemoryLimitStore();
}
