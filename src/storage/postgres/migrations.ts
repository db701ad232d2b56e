/**
 * Versioned schema for the PostgreSQL stores (model: sqlite/migrations.ts): each migration runs
 * once, in order, in a transaction, recorded in `switchyard_migrations` under its store's name
 * ('health', 'journal'), so the two stores may share a database and a schema. Instances starting
 * together take an advisory lock first, so one migrates and the others find it done. Never edit a
 * released migration; add one.
 */
import type { PgPool } from './driver.js';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/** Any number, the same in every instance: serialises migrations across the fleet. */
const LOCK_ID = 0x5357_5944; // "SWYD"

export async function migratePg(db: PgPool, store: string, migrations: readonly PgMigration[], now = Date.now()): Promise<number> {
  const latest = migrations[migrations.length - 1]!.version;
  await db.transaction(async (q) => {
    await q('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
    await q('CREATE TABLE IF NOT EXISTS switchyard_migrations (store TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (store, version))');
    const [row] = await q<{ v: number | null }>('SELECT MAX(version) AS v FROM switchyard_migrations WHERE store = $1', [store]);
    const current = row?.v ?? 0;
    if (current > latest) {
      throw new Error(`The PostgreSQL ${store} schema has version ${current}, newer than this Switchyard understands (${latest}); upgrade Switchyard or use another schema.`);
    }
    for (const m of migrations) {
      if (m.version <= current) continue;
      await q(m.sql);
      await q('INSERT INTO switchyard_migrations (store, version, name, applied_at) VALUES ($1, $2, $3, $4)', [store, m.version, m.name, now]);
    }
  });
  return latest;
}
