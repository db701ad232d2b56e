import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freshPgSchemas, serviceUrl } from '../../test-support/services.js';
import { journalStoreContract, sampleExchange } from '../journal-store-contract.js';
import { openJournalStore } from '../open-journal-store.js';
import { openPgPool } from './driver.js';

const url = serviceUrl('DATABASE_URL');
if (url) {
  const fresh = freshPgSchemas(url);

  journalStoreContract('postgres', () => openJournalStore({ kind: 'postgres', url, schema: fresh() }));

  describe('PostgreSQL journal store', () => {
    it('shares a schema with the health store, each with its own migrations; search uses the GIN index', async () => {
      const schema = fresh();
      const j = await openJournalStore({ kind: 'postgres', url, schema });
      const h = await (await import('../open-health-store.js')).openHealthStore({ kind: 'postgres', url, schema });
      await j.appendBatch([{ exchange: sampleExchange({ id: 'r1', conversationId: 'c1' }), conversation: { title: 't' }, searchText: 'Kubernetes pods' }]);
      assert.deepEqual((await j.listConversations({ limit: 5, search: 'kube*' })).conversations.map((c) => c.id), ['c1']);
      await j.close();
      await h.close();
      const db = await openPgPool({ url, schema });
      const stores = await db.query<{ store: string }>('SELECT DISTINCT store FROM switchyard_migrations ORDER BY store');
      assert.deepEqual(stores.map((r) => r.store), ['health', 'journal']);
      const idx = await db.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE indexname = 'journal_exchanges_search' AND schemaname = $1", [schema]);
      assert.match(idx[0]!.indexdef, /USING gin/);
      await db.close();
    });
  });
}
