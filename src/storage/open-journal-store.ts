/** Opens the journal store a configuration asks for; the SQLite or PostgreSQL driver loads only when it is the one. */
import type { JournalStore, JournalStoreOptions } from './journal-store.js';

export async function openJournalStore(opts: JournalStoreOptions): Promise<JournalStore> {
  if (opts.kind === 'memory') {
    const { MemoryJournalStore } = await import('./memory/memory-journal-store.js');
    return new MemoryJournalStore();
  }
  if (opts.kind === 'postgres') {
    const { openPgJournalStore } = await import('./postgres/pg-journal-store.js');
    return openPgJournalStore({ url: opts.url, ...(opts.schema === undefined ? {} : { schema: opts.schema }) });
  }
  const { openSqliteJournalStore } = await import('./sqlite/sqlite-journal-store.js');
  return openSqliteJournalStore(opts.dir, opts.file);
}
