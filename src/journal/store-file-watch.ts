/**
 * Whether the SQLite journal's file is still the one the connection has open. SQLite keeps
 * writing through its open descriptor into a file that was deleted or replaced (an `rm -rf` of
 * the data directory, a restore copied over it): every commit succeeds into an unlinked inode,
 * and all of it is gone at the next restart. One stat per batch (a few µs) tells.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalStoreOptions } from '../storage/journal-store.js';
import { JOURNAL_DB_FILE } from '../storage/sqlite/sqlite-journal-store.js';

export class StoreFileWatch {
  private readonly path: string | undefined;
  private identity: string | undefined;

  constructor(store: JournalStoreOptions) {
    this.path = store.kind === 'sqlite' ? join(store.dir, store.file ?? JOURNAL_DB_FILE) : undefined;
    this.opened();
  }

  /** The store was (re)opened: its file now is the one to keep. */
  opened(): void {
    this.identity = this.read();
  }

  /** Why the file at the path is no longer the open one, or undefined while it is (and for stores without a file). */
  moved(): string | undefined {
    if (this.path === undefined) return undefined;
    const now = this.read();
    if (now === this.identity) return undefined;
    return now === undefined ? `${this.path} was deleted while the gateway ran` : `${this.path} was replaced while the gateway ran`;
  }

  private read(): string | undefined {
    if (this.path === undefined) return undefined;
    const s = statSync(this.path, { throwIfNoEntry: false });
    return s ? `${s.dev}:${s.ino}` : undefined;
  }
}
