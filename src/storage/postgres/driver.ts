/**
 * The PostgreSQL connection pool the Postgres stores share, with pg (node-postgres) imported only
 * when one is opened (DESIGN.md principle 8). Each pool works in one schema (search_path), created
 * when missing: the tests give every run its own, and a deployment may keep Switchyard's tables
 * apart from others'. pg hands BIGINT back as strings; the stores convert the few they read.
 */
import type { Pool, PoolClient, QueryResultRow } from 'pg';

export interface PgOptions {
  url: string;
  /** Default `public`. A plain identifier (letters, digits, _). */
  schema?: string;
  /** Default 10. */
  maxConnections?: number;
}

export interface PgPool {
  query<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Run `fn` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (q: <R extends QueryResultRow>(sql: string, params?: unknown[]) => Promise<R[]>) => Promise<T>): Promise<T>;
  readonly schema: string;
  close(): Promise<void>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export async function openPgPool(opts: PgOptions): Promise<PgPool> {
  const schema = opts.schema ?? 'public';
  if (!IDENTIFIER.test(schema)) throw new Error(`PostgreSQL schema name must be a plain identifier (letters, digits, _), got ${JSON.stringify(schema)}`);
  let PoolClass: typeof Pool;
  try {
    PoolClass = (await import('pg')).default.Pool;
  } catch (e) {
    throw new Error(`The PostgreSQL store needs the pg package, which failed to load (${(e as Error).message}). Reinstall with \`npm ci\`.`, { cause: e });
  }
  const pool = new PoolClass({ connectionString: opts.url, max: opts.maxConnections ?? 10, options: `-c search_path=${schema}` });
  // An idle connection dropped by the server must not crash the process: the next query reconnects.
  pool.on('error', () => {});
  try {
    await createSchema(pool, schema);
  } catch (e) {
    await pool.end();
    throw new Error(`Cannot reach PostgreSQL or create schema ${schema}: ${(e as Error).message}`, { cause: e });
  }
  return new Pg(pool, schema);
}

/**
 * CREATE SCHEMA IF NOT EXISTS is not safe against itself: two instances starting together can both
 * find it missing and one fails on the catalogue's unique index. The loser finds it made.
 */
async function createSchema(pool: Pool, schema: string): Promise<void> {
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') throw e;
  }
}

class Pg implements PgPool {
  private closed = false;

  constructor(
    private readonly pool: Pool,
    readonly schema: string,
  ) {}

  async query<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, params)).rows;
  }

  async transaction<T>(fn: (q: <R extends QueryResultRow>(sql: string, params?: unknown[]) => Promise<R[]>) => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(async <R extends QueryResultRow>(sql: string, params: unknown[] = []) => (await client.query<R>(sql, params)).rows);
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
