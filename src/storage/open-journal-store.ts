/** Opens the journal store a configuration asks for; the SQLite driver loads only when it is the one. */
import type { JournalStore, JournalStoreOptions } from './journal-store.js';

export async function openJournalStore(opts: JournalStoreOptions): Promise<JournalStore> {
  if (opts.kind === 'memory') {
    const { MemoryJournalStore } = await import('./memory/memory-journal-store.js');
    return new MemoryJournalStore();
  }
  const { openSqliteJournalStore } = await import('./sqlite/sqlite-journal-store.js');
  return openSqliteJournalStore(opts.dir, opts.file);
}
