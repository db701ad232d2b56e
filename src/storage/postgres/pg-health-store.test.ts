import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freshPgSchemas, serviceUrl } from '../../test-support/services.js';
import { healthStoreContract } from '../health-store-contract.js';
import { emptyBucket } from '../metrics-store.js';
import { openHealthStore } from '../open-health-store.js';
import { openPgPool } from './driver.js';
import { HEALTH_PG_MIGRATIONS } from './pg-health-store.js';

const url = serviceUrl('DATABASE_URL');
if (url) {
  const fresh = freshPgSchemas(url);

  healthStoreContract('postgres', () => openHealthStore({ kind: 'postgres', url, schema: fresh() }));

  describe('PostgreSQL health store', () => {
    it('two instances adding into the same minute at once: every count is kept (the database merges)', async () => {
      const schema = fresh();
      const [a, b] = await Promise.all([openHealthStore({ kind: 'postgres', url, schema }), openHealthStore({ kind: 'postgres', url, schema })]);
      const at = Date.UTC(2024, 11, 11, 23, 5);
      const batch = (kind: string) => [{ ...emptyBucket('openai/gpt-4o', at), requests: 1, errors: 1, errorsByKind: { [kind]: 1 }, ttftHist: emptyBucket('x', 0).ttftHist.map((_, i) => (i === 3 ? 1 : 0)) }];
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).metrics.add(batch(i % 4 < 2 ? 'timeout' : 'transient'))));
      const [day] = await a.metrics.read({ resolution: 'day', from: 0, to: at + 86_400_000 });
      assert.equal(day!.requests, 20);
      assert.deepEqual(day!.errorsByKind, { timeout: 10, transient: 10 });
      assert.equal(day!.ttftHist[3], 20);
      await a.close();
      await b.close();
    });

    it('records its migrations, and refuses a schema written by a newer version', async () => {
      const schema = fresh();
      await (await openHealthStore({ kind: 'postgres', url, schema })).close();
      const db = await openPgPool({ url, schema });
      const rows = await db.query<{ version: number }>("SELECT version FROM switchyard_migrations WHERE store = 'health' ORDER BY version");
      assert.deepEqual(rows.map((r) => r.version), HEALTH_PG_MIGRATIONS.map((m) => m.version));
      await db.query("INSERT INTO switchyard_migrations VALUES ('health', 999, 'from the future', 0)");
      await db.close();
      await assert.rejects(openHealthStore({ kind: 'postgres', url, schema }), /health schema has version 999/);
    });
  });
}
