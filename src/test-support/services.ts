/**
 * The real Redis and PostgreSQL the scale-out adapters are tested against (REDIS_URL,
 * DATABASE_URL; .ci/run sets both). In CI (env CI set) a missing URL is a failure, never a quiet
 * skip: the contract suites must have run. Outside CI a developer without the servers gets a
 * skipped test that says why. Each test run uses its own key prefix or schema, so parallel test
 * files never meet.
 */
import { randomBytes } from 'node:crypto';
import { after, it } from 'node:test';

export type ServiceName = 'REDIS_URL' | 'DATABASE_URL';

/** The URL, or undefined after registering one test that fails (CI) or is skipped (elsewhere) with the reason. */
export function serviceUrl(name: ServiceName): string | undefined {
  const url = process.env[name];
  if (url !== undefined && url !== '') return url;
  const reason = `${name} is not set: the ${name === 'REDIS_URL' ? 'Redis' : 'PostgreSQL'} adapter tests need the real server (.ci/run sets it)`;
  if (process.env.CI) {
    it(`${name} is set (CI runs the scale-out contract suites)`, () => {
      throw new Error(reason);
    });
  } else {
    it(`${name} tests`, { skip: reason }, () => {});
  }
  return undefined;
}

/** A fresh name for this run: Redis key prefix `sy-test:<hex>:`, or a schema `sy_test_<hex>`. */
export function uniqueName(kind: 'prefix' | 'schema'): string {
  const hex = randomBytes(6).toString('hex');
  return kind === 'prefix' ? `sy-test:${hex}:` : `sy_test_${hex}`;
}

/** Delete every Redis key under `prefix` (a test run's own), through a short-lived connection. */
export async function dropRedisPrefix(url: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const c = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await c.connect();
    let cursor = '0';
    do {
      const [next, keys] = await c.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await c.del(...keys);
    } while (cursor !== '0');
  } finally {
    c.disconnect();
  }
}

/** Drop a test run's PostgreSQL schema with everything in it. */
export async function dropPgSchema(url: string, schema: string): Promise<void> {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await c.end();
  }
}

/** A fresh schema name per call, each dropped when the test file ends. */
export function freshPgSchemas(url: string): () => string {
  const schemas: string[] = [];
  after(async () => {
    for (const s of schemas) await dropPgSchema(url, s);
  });
  return () => {
    const schema = uniqueName('schema');
    schemas.push(schema);
    return schema;
  };
}
