/** Opens the key store a configuration asks for; the SQLite driver loads only when it is the one. */
import type { KeyStore, KeyStoreOptions } from './key-store.js';

export async function openKeyStore(opts: KeyStoreOptions): Promise<KeyStore> {
  if (opts.kind === 'memory') {
    const { MemoryKeyStore } = await import('./memory/memory-key-store.js');
    return new MemoryKeyStore();
  }
  const { openSqliteKeyStore } = await import('./sqlite/sqlite-key-store.js');
  return openSqliteKeyStore(opts.dir, opts.now);
}
