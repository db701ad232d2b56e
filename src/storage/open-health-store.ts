/** Opens the health store a configuration asks for; the SQLite or PostgreSQL driver loads only when it is the one. */
import type { HealthStore, HealthStoreOptions } from './health-store.js';

export async function openHealthStore(opts: HealthStoreOptions): Promise<HealthStore> {
  if (opts.kind === 'memory') {
    const { MemoryHealthStore } = await import('./memory/memory-health-store.js');
    return new MemoryHealthStore();
  }
  if (opts.kind === 'postgres') {
    const { openPgHealthStore } = await import('./postgres/pg-health-store.js');
    return openPgHealthStore({ url: opts.url, ...(opts.schema === undefined ? {} : { schema: opts.schema }) });
  }
  const { openSqliteHealthStore } = await import('./sqlite/sqlite-health-store.js');
  return openSqliteHealthStore(opts.dir, opts.file);
}
