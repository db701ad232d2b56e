/** Opens the health store a configuration asks for; the SQLite driver loads only when it is the one. */
import type { HealthStore, HealthStoreOptions } from './health-store.js';

export async function openHealthStore(opts: HealthStoreOptions): Promise<HealthStore> {
  if (opts.kind === 'memory') {
    const { MemoryHealthStore } = await import('./memory/memory-health-store.js');
    return new MemoryHealthStore();
  }
  const { openSqliteHealthStore } = await import('./sqlite/sqlite-health-store.js');
  return openSqliteHealthStore(opts.dir, opts.file);
}
