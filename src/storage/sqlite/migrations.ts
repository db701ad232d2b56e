/**
 * Versioned schema: each migration runs once, in order, inside a transaction,
 * and is recorded in schema_migrations. Never edit a released migration; add one.
 */
import type { SqliteDatabase } from './driver.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Bucket tables store time as epoch minutes and components as small integer
 * ids, WITHOUT ROWID, so a minute row is a few dozen bytes: 90 days of minutes
 * is ~130k rows per component. No index on ts alone: pruning goes component by
 * component through the primary key. Histograms and error kinds are sparse text
 * ("3:12,4:1"), NULL when empty.
 */
const bucketTable = (name: string) => `
CREATE TABLE ${name} (
  component INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  requests INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  probes INTEGER NOT NULL,
  probe_errors INTEGER NOT NULL,
  kinds TEXT,
  hist TEXT,
  s0 INTEGER NOT NULL,
  s1 INTEGER NOT NULL,
  s2 INTEGER NOT NULL,
  s3 INTEGER NOT NULL,
  PRIMARY KEY (component, ts)
) WITHOUT ROWID;`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'health metrics buckets and incidents',
    sql: `
CREATE TABLE components (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
${bucketTable('metrics_minute')}
${bucketTable('metrics_quarter')}
${bucketTable('metrics_hour')}
${bucketTable('metrics_day')}
CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,
  resolved_at INTEGER,
  body TEXT NOT NULL
);
CREATE INDEX incidents_open ON incidents (resolved_at, started_at);`,
  },
];

/**
 * Bring `db` to the newest of `migrations` (the health store's by default; the journal and the key
 * store keep their own files and lists). `what` names the file in the error a newer schema gets.
 */
export function migrate(db: SqliteDatabase, now = Date.now(), migrations: readonly Migration[] = MIGRATIONS, what = 'status database'): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  const latest = migrations[migrations.length - 1]!.version;
  if (current > latest) {
    throw new Error(`The ${what} has schema version ${current}, newer than this Switchyard understands (${latest}); upgrade Switchyard or use another data directory.`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, now);
    })();
  }
  return latest;
}
