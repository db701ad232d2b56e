/**
 * SQLite KeyStore: `<data_dir>/keys.db`, its own file and migration list, so the CLI can manage
 * keys while the gateway runs (WAL; the gateway's cache notices through revision()). Calls are
 * short and never per request: the guard answers from its in-memory cache of this store.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { patchedKey, rotatedKey, type KeyPatch, type KeyStore, type StoredKey } from '../key-store.js';
import { openSqliteDatabase, type SqliteDatabase, type SqliteStatement } from './driver.js';
import { migrate, type Migration } from './migrations.js';

export const KEYS_DB_FILE = 'keys.db';

/**
 * Hashes and ids are columns (unique, indexed); the rest of the record is JSON, so a new optional
 * field needs no migration. `key_revision` has one row, bumped in every write transaction.
 */
export const KEY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'virtual keys',
    sql: `
CREATE TABLE virtual_keys (
  id TEXT PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  previous_hash TEXT UNIQUE,
  created_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE key_revision (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT INTO key_revision (id, n) VALUES (1, 0);`,
  },
];

export async function openSqliteKeyStore(dir: string, now = Date.now()): Promise<SqliteKeyStore> {
  mkdirSync(dir, { recursive: true });
  const db = await openSqliteDatabase(join(dir, KEYS_DB_FILE));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db, now, KEY_MIGRATIONS, 'key store');
  } catch (e) {
    db.close();
    throw e;
  }
  return new SqliteKeyStore(db);
}

const COLS = 'id, hash, previous_hash, created_at, body';

export class SqliteKeyStore implements KeyStore {
  private readonly insert: SqliteStatement;
  private readonly replaceRow: SqliteStatement;
  private readonly byId: SqliteStatement;
  private readonly byHash: SqliteStatement;
  private readonly all: SqliteStatement;
  private readonly bump: SqliteStatement;
  private readonly rev: SqliteStatement;
  private readonly write: (fn: () => StoredKey | undefined) => void;

  constructor(private readonly db: SqliteDatabase) {
    this.insert = db.prepare(`INSERT INTO virtual_keys (${COLS}) VALUES (?, ?, ?, ?, ?)`);
    this.replaceRow = db.prepare('UPDATE virtual_keys SET hash = ?, previous_hash = ?, body = ? WHERE id = ?');
    this.byId = db.prepare('SELECT body FROM virtual_keys WHERE id = ?');
    this.byHash = db.prepare('SELECT body FROM virtual_keys WHERE hash = ? UNION ALL SELECT body FROM virtual_keys WHERE previous_hash = ? LIMIT 1');
    this.all = db.prepare('SELECT body FROM virtual_keys ORDER BY created_at, id');
    this.bump = db.prepare('UPDATE key_revision SET n = n + 1 WHERE id = 1');
    this.rev = db.prepare('SELECT n FROM key_revision WHERE id = 1');
    this.write = db.transaction((fn: () => StoredKey | undefined) => {
      if (fn() !== undefined) this.bump.run();
    });
  }

  async create(key: StoredKey): Promise<void> {
    this.write(() => {
      this.insert.run(key.id, key.hash, key.previous?.hash ?? null, key.createdAt, JSON.stringify(key));
      return key;
    });
  }

  async get(id: string): Promise<StoredKey | undefined> {
    return this.read(this.byId.get(id));
  }

  async findByHash(hash: string): Promise<StoredKey | undefined> {
    return this.read(this.byHash.get(hash, hash));
  }

  async list(): Promise<StoredKey[]> {
    return (this.all.all() as { body: string }[]).map((r) => JSON.parse(r.body) as StoredKey);
  }

  async update(id: string, patch: KeyPatch, now: number): Promise<StoredKey | undefined> {
    return this.change(id, (k) => patchedKey(k, patch, now));
  }

  async revoke(id: string, now: number): Promise<StoredKey | undefined> {
    let unchanged: StoredKey | undefined;
    const out = await this.change(id, (k) => {
      if (k.revokedAt === undefined) return { ...k, revokedAt: now, updatedAt: now };
      unchanged = k;
      return undefined;
    });
    return out ?? unchanged;
  }

  async rotate(id: string, next: { hash: string; prefix: string }, graceUntil: number, now: number): Promise<StoredKey | undefined> {
    return this.change(id, (k) => rotatedKey(k, next, graceUntil, now));
  }

  async revision(): Promise<number> {
    return (this.rev.get() as { n: number }).n;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** Read, change and write one record in one transaction (the CLI may write at the same time). */
  private async change(id: string, fn: (k: StoredKey) => StoredKey | undefined): Promise<StoredKey | undefined> {
    let out: StoredKey | undefined;
    this.write(() => {
      const k = this.read(this.byId.get(id));
      out = k && fn(k);
      if (out) this.replaceRow.run(out.hash, out.previous?.hash ?? null, JSON.stringify(out), id);
      return out;
    });
    return out;
  }

  private read(row: unknown): StoredKey | undefined {
    return row === undefined ? undefined : (JSON.parse((row as { body: string }).body) as StoredKey);
  }
}
