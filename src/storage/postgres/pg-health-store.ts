/**
 * PostgreSQL HealthStore (issue #27): the status history of a fleet in one database, so every
 * instance's status page shows the same 90 days. Several instances add into the same minute at
 * once, so a bucket is merged by the database (INSERT ... ON CONFLICT DO UPDATE adding every
 * counter, histogram slot and error kind), never read-modify-written by a client. Rollups happen
 * at write time, as in SQLite: each flush is one statement over all resolutions.
 */
import type { HealthStore } from '../health-store.js';
import type { Incident, IncidentStore } from '../incident-store.js';
import { alignTo, emptyBucket, mergeInto, RESOLUTIONS, TTFT_BUCKETS, type MetricsBucket, type MetricsQuery, type MetricsStore, type Resolution } from '../metrics-store.js';
import { openPgPool, type PgOptions, type PgPool } from './driver.js';
import { migratePg, type PgMigration } from './migrations.js';

export const HEALTH_PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'health metrics buckets and incidents',
    sql: `
CREATE TABLE health_metrics (
  res TEXT NOT NULL,
  component TEXT COLLATE "C" NOT NULL,
  start_ms BIGINT NOT NULL,
  requests BIGINT NOT NULL,
  errors BIGINT NOT NULL,
  probes BIGINT NOT NULL,
  probe_errors BIGINT NOT NULL,
  kinds JSONB NOT NULL,
  hist BIGINT[] NOT NULL,
  s0 BIGINT NOT NULL, s1 BIGINT NOT NULL, s2 BIGINT NOT NULL, s3 BIGINT NOT NULL,
  PRIMARY KEY (res, component, start_ms)
);
CREATE INDEX health_metrics_start ON health_metrics (start_ms);
CREATE TABLE health_incidents (
  id TEXT COLLATE "C" PRIMARY KEY,
  started_at BIGINT NOT NULL,
  resolved_at BIGINT,
  body TEXT NOT NULL
);
CREATE INDEX health_incidents_open ON health_incidents (resolved_at, started_at);`,
  },
];

const ADD = `
INSERT INTO health_metrics AS m (res, component, start_ms, requests, errors, probes, probe_errors, kinds, hist, s0, s1, s2, s3)
SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(res TEXT, component TEXT, start_ms BIGINT, requests BIGINT, errors BIGINT, probes BIGINT, probe_errors BIGINT, kinds JSONB, hist BIGINT[], s0 BIGINT, s1 BIGINT, s2 BIGINT, s3 BIGINT)
ON CONFLICT (res, component, start_ms) DO UPDATE SET
  requests = m.requests + EXCLUDED.requests,
  errors = m.errors + EXCLUDED.errors,
  probes = m.probes + EXCLUDED.probes,
  probe_errors = m.probe_errors + EXCLUDED.probe_errors,
  kinds = (SELECT COALESCE(jsonb_object_agg(k, n), '{}'::jsonb) FROM (SELECT k, SUM(v::bigint) AS n FROM (SELECT * FROM jsonb_each_text(m.kinds) UNION ALL SELECT * FROM jsonb_each_text(EXCLUDED.kinds)) AS e(k, v) GROUP BY k) AS s),
  hist = ARRAY(SELECT COALESCE(a, 0) + COALESCE(b, 0) FROM unnest(m.hist, EXCLUDED.hist) AS u(a, b)),
  s0 = m.s0 + EXCLUDED.s0, s1 = m.s1 + EXCLUDED.s1, s2 = m.s2 + EXCLUDED.s2, s3 = m.s3 + EXCLUDED.s3`;

interface Row {
  component: string;
  start_ms: string;
  requests: string;
  errors: string;
  probes: string;
  probe_errors: string;
  kinds: Record<string, number | string>;
  hist: string[];
  s0: string;
  s1: string;
  s2: string;
  s3: string;
}

class PgMetricsStore implements MetricsStore {
  constructor(private readonly db: PgPool) {}

  async add(buckets: readonly MetricsBucket[]): Promise<void> {
    if (buckets.length === 0) return;
    // One row per (resolution, component, start) per statement: ON CONFLICT may touch a row once.
    const rows = new Map<string, MetricsBucket & { res: Resolution }>();
    for (const res of RESOLUTIONS) {
      for (const b of buckets) {
        const start = alignTo(res, b.start);
        const key = `${res}\n${b.component}\n${start}`;
        let row = rows.get(key);
        if (!row) rows.set(key, (row = { ...emptyBucket(b.component, start), res }));
        mergeInto(row, b);
      }
    }
    const json = [...rows.values()].map((b) => ({
      res: b.res,
      component: b.component,
      start_ms: b.start,
      requests: b.requests,
      errors: b.errors,
      probes: b.probes,
      probe_errors: b.probeErrors,
      kinds: b.errorsByKind,
      hist: b.ttftHist,
      s0: b.stateMinutes[0],
      s1: b.stateMinutes[1],
      s2: b.stateMinutes[2],
      s3: b.stateMinutes[3],
    }));
    await this.db.query(ADD, [JSON.stringify(json)]);
  }

  async read(q: MetricsQuery): Promise<MetricsBucket[]> {
    const params: unknown[] = [q.resolution, q.from, q.to];
    let where = 'res = $1 AND start_ms >= $2 AND start_ms < $3';
    if (q.components) {
      params.push([...q.components]);
      where += ' AND component = ANY($4::text[])';
    }
    const rows = await this.db.query<Row>(`SELECT * FROM health_metrics WHERE ${where} ORDER BY component, start_ms`, params);
    return rows.map(toBucket);
  }

  async prune(before: number): Promise<void> {
    await this.db.query('DELETE FROM health_metrics WHERE start_ms < $1', [before]);
  }

  async components(): Promise<string[]> {
    const rows = await this.db.query<{ component: string }>(`SELECT DISTINCT component FROM health_metrics WHERE res IN ('minute', 'day') ORDER BY component`);
    return rows.map((r) => r.component);
  }
}

function toBucket(r: Row): MetricsBucket {
  const b = emptyBucket(r.component, Number(r.start_ms));
  b.requests = Number(r.requests);
  b.errors = Number(r.errors);
  b.probes = Number(r.probes);
  b.probeErrors = Number(r.probe_errors);
  for (const [k, v] of Object.entries(r.kinds)) if (Number(v) !== 0) b.errorsByKind[k] = Number(v);
  for (let i = 0; i < TTFT_BUCKETS; i++) b.ttftHist[i] = Number(r.hist[i] ?? 0);
  b.stateMinutes = [Number(r.s0), Number(r.s1), Number(r.s2), Number(r.s3)];
  return b;
}

class PgIncidentStore implements IncidentStore {
  constructor(private readonly db: PgPool) {}

  async upsert(i: Incident): Promise<void> {
    await this.db.query(
      'INSERT INTO health_incidents (id, started_at, resolved_at, body) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET started_at = EXCLUDED.started_at, resolved_at = EXCLUDED.resolved_at, body = EXCLUDED.body',
      [i.id, i.startedAt, i.resolvedAt ?? null, JSON.stringify(i)],
    );
  }

  async get(id: string): Promise<Incident | undefined> {
    const [row] = await this.db.query<{ body: string }>('SELECT body FROM health_incidents WHERE id = $1', [id]);
    return row && (JSON.parse(row.body) as Incident);
  }

  async list(limit: number): Promise<Incident[]> {
    // Open ones (resolved_at NULL) first; then newest first.
    const rows = await this.db.query<{ body: string }>('SELECT body FROM health_incidents ORDER BY resolved_at IS NOT NULL, started_at DESC, id LIMIT $1', [limit]);
    return rows.map((r) => JSON.parse(r.body) as Incident);
  }

  async listOpen(): Promise<Incident[]> {
    const rows = await this.db.query<{ body: string }>('SELECT body FROM health_incidents WHERE resolved_at IS NULL ORDER BY started_at DESC, id');
    return rows.map((r) => JSON.parse(r.body) as Incident);
  }

  async prune(before: number): Promise<void> {
    await this.db.query('DELETE FROM health_incidents WHERE resolved_at IS NOT NULL AND resolved_at < $1', [before]);
  }
}

export class PgHealthStore implements HealthStore {
  readonly metrics: PgMetricsStore;
  readonly incidents: PgIncidentStore;

  constructor(private readonly db: PgPool) {
    this.metrics = new PgMetricsStore(db);
    this.incidents = new PgIncidentStore(db);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

export async function openPgHealthStore(opts: PgOptions): Promise<PgHealthStore> {
  const db = await openPgPool(opts);
  try {
    await migratePg(db, 'health', HEALTH_PG_MIGRATIONS);
  } catch (e) {
    await db.close();
    throw e;
  }
  return new PgHealthStore(db);
}
