/**
 * SQLite adapter (the default): one file in the data directory, WAL so the
 * status page reads while a flush writes, versioned migrations. better-sqlite3
 * is synchronous; its calls are short (a flush is one transaction of a few
 * dozen rows) and never made per request — writes come batched from the
 * HealthTracker's flush timer.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HealthStore } from '../health-store.js';
import type { Incident, IncidentStore } from '../incident-store.js';
import { alignTo, emptyBucket, mergeInto, RESOLUTIONS, type MetricsBucket, type MetricsQuery, type MetricsStore, type Resolution } from '../metrics-store.js';
import { openSqliteDatabase, type SqliteDatabase, type SqliteStatement } from './driver.js';
import { migrate } from './migrations.js';
import { decodeHistInto, decodeKindsInto, encodeHist, encodeKinds } from './sparse.js';

export const DEFAULT_DB_FILE = 'switchyard.db';

export async function openSqliteHealthStore(dir: string, file = DEFAULT_DB_FILE): Promise<SqliteHealthStore> {
  mkdirSync(dir, { recursive: true });
  const db = await openSqliteDatabase(join(dir, file));
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last flush.
    db.pragma('synchronous = NORMAL');
    migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return new SqliteHealthStore(db);
}

interface Row {
  component: number;
  ts: number;
  requests: number;
  errors: number;
  probes: number;
  probe_errors: number;
  kinds: string | null;
  hist: string | null;
  s0: number;
  s1: number;
  s2: number;
  s3: number;
}

const COLS = 'component, ts, requests, errors, probes, probe_errors, kinds, hist, s0, s1, s2, s3';

class SqliteMetricsStore implements MetricsStore {
  private readonly ids = new Map<string, number>();
  private readonly names = new Map<number, string>();
  private readonly getRow = new Map<Resolution, SqliteStatement>();
  private readonly putRow = new Map<Resolution, SqliteStatement>();
  private readonly rangeOne = new Map<Resolution, SqliteStatement>();
  private readonly pruneOne = new Map<Resolution, SqliteStatement>();
  private readonly insertComponent: SqliteStatement;
  private readonly addTx: (rows: Map<Resolution, Map<string, MetricsBucket>>) => void;

  constructor(private readonly db: SqliteDatabase) {
    for (const r of RESOLUTIONS) {
      const t = `metrics_${r}`;
      this.getRow.set(r, db.prepare(`SELECT ${COLS} FROM ${t} WHERE component = ? AND ts = ?`));
      this.putRow.set(r, db.prepare(`INSERT OR REPLACE INTO ${t} (${COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`));
      this.rangeOne.set(r, db.prepare(`SELECT ${COLS} FROM ${t} WHERE component = ? AND ts >= ? AND ts < ? ORDER BY ts`));
      this.pruneOne.set(r, db.prepare(`DELETE FROM ${t} WHERE component = ? AND ts < ?`));
    }
    this.insertComponent = db.prepare('INSERT INTO components (name) VALUES (?)');
    for (const row of db.prepare('SELECT id, name FROM components').all() as { id: number; name: string }[]) {
      this.ids.set(row.name, row.id);
      this.names.set(row.id, row.name);
    }
    this.addTx = db.transaction((rows: Map<Resolution, Map<string, MetricsBucket>>) => {
      for (const [res, byKey] of rows) {
        const get = this.getRow.get(res)!;
        const put = this.putRow.get(res)!;
        for (const b of byKey.values()) {
          const id = this.componentId(b.component);
          const ts = b.start / 60_000;
          const existing = get.get(id, ts) as Row | undefined;
          if (existing) mergeInto(b, this.toBucket(existing));
          put.run(id, ts, b.requests, b.errors, b.probes, b.probeErrors, encodeKinds(b.errorsByKind), encodeHist(b.ttftHist), ...b.stateMinutes);
        }
      }
    });
  }

  async add(buckets: readonly MetricsBucket[]): Promise<void> {
    // Pre-aggregate per row so each row is read and written once per flush.
    const rows = new Map<Resolution, Map<string, MetricsBucket>>();
    for (const res of RESOLUTIONS) {
      const byKey = new Map<string, MetricsBucket>();
      for (const b of buckets) {
        const start = alignTo(res, b.start);
        const key = `${b.component}\n${start}`;
        let row = byKey.get(key);
        if (!row) byKey.set(key, (row = emptyBucket(b.component, start)));
        mergeInto(row, b);
      }
      rows.set(res, byKey);
    }
    this.addTx(rows);
  }

  async read(q: MetricsQuery): Promise<MetricsBucket[]> {
    const from = Math.ceil(q.from / 60_000);
    const to = Math.ceil(q.to / 60_000);
    const out: MetricsBucket[] = [];
    const stmt = this.rangeOne.get(q.resolution)!;
    // Per component through the primary key, in name order (ids are insertion order).
    for (const name of [...(q.components ?? this.ids.keys())].sort()) {
      const id = this.ids.get(name);
      if (id === undefined) continue;
      for (const r of stmt.all(id, from, to) as Row[]) out.push(this.toBucket(r));
    }
    return out;
  }

  async prune(before: number): Promise<void> {
    const ts = Math.ceil(before / 60_000);
    this.db.transaction(() => {
      for (const id of this.ids.values()) for (const stmt of this.pruneOne.values()) stmt.run(id, ts);
    })();
  }

  async components(): Promise<string[]> {
    const rows = this.db.prepare('SELECT DISTINCT component FROM metrics_day').all() as { component: number }[];
    return rows.map((r) => this.names.get(r.component)!).filter(Boolean).sort();
  }

  private componentId(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = Number((this.insertComponent.run(name) as { lastInsertRowid?: number | bigint }).lastInsertRowid);
      this.ids.set(name, id);
      this.names.set(id, name);
    }
    return id;
  }

  private toBucket(r: Row): MetricsBucket {
    const b = emptyBucket(this.names.get(r.component) ?? String(r.component), r.ts * 60_000);
    b.requests = r.requests;
    b.errors = r.errors;
    b.probes = r.probes;
    b.probeErrors = r.probe_errors;
    decodeKindsInto(r.kinds, b.errorsByKind);
    decodeHistInto(r.hist, b.ttftHist);
    b.stateMinutes = [r.s0, r.s1, r.s2, r.s3];
    return b;
  }
}

class SqliteIncidentStore implements IncidentStore {
  private readonly put: SqliteStatement;
  private readonly byId: SqliteStatement;
  private readonly recent: SqliteStatement;
  private readonly open: SqliteStatement;
  private readonly prunable: SqliteStatement;

  constructor(db: SqliteDatabase) {
    this.put = db.prepare('INSERT OR REPLACE INTO incidents (id, started_at, resolved_at, body) VALUES (?, ?, ?, ?)');
    this.byId = db.prepare('SELECT body FROM incidents WHERE id = ?');
    // Open ones (resolved_at NULL) sort first; then newest first.
    this.recent = db.prepare('SELECT body FROM incidents ORDER BY resolved_at IS NOT NULL, started_at DESC, id LIMIT ?');
    this.open = db.prepare('SELECT body FROM incidents WHERE resolved_at IS NULL ORDER BY started_at DESC, id');
    this.prunable = db.prepare('DELETE FROM incidents WHERE resolved_at IS NOT NULL AND resolved_at < ?');
  }

  async upsert(i: Incident): Promise<void> {
    this.put.run(i.id, i.startedAt, i.resolvedAt ?? null, JSON.stringify(i));
  }

  async get(id: string): Promise<Incident | undefined> {
    const row = this.byId.get(id) as { body: string } | undefined;
    return row && (JSON.parse(row.body) as Incident);
  }

  async list(limit: number): Promise<Incident[]> {
    return (this.recent.all(limit) as { body: string }[]).map((r) => JSON.parse(r.body) as Incident);
  }

  async listOpen(): Promise<Incident[]> {
    return (this.open.all() as { body: string }[]).map((r) => JSON.parse(r.body) as Incident);
  }

  async prune(before: number): Promise<void> {
    this.prunable.run(before);
  }
}

export class SqliteHealthStore implements HealthStore {
  readonly metrics: SqliteMetricsStore;
  readonly incidents: SqliteIncidentStore;

  constructor(private readonly db: SqliteDatabase) {
    this.metrics = new SqliteMetricsStore(db);
    this.incidents = new SqliteIncidentStore(db);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
