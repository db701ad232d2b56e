import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { journalStoreContract, sampleExchange } from '../journal-store-contract.js';
import { openJournalStore } from '../open-journal-store.js';
import { openSqliteDatabase } from './driver.js';
import { JOURNAL_MIGRATIONS } from './journal-migrations.js';
import { openSqliteJournalStore } from './sqlite-journal-store.js';

const root = mkdtempSync(join(tmpdir(), 'switchyard-journal-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

journalStoreContract('sqlite', () => openJournalStore({ kind: 'sqlite', dir: join(root, `store-${n++}`) }));

describe('SQLite journal store', () => {
  it('is its own file, in WAL mode with incremental auto-vacuum, its migrations recorded, and keeps data across reopen', async () => {
    const dir = join(root, 'reopen');
    const a = await openSqliteJournalStore(dir);
    await a.appendBatch([{ exchange: sampleExchange({ id: 'r1', conversationId: 'c1' }), conversation: { title: 't' }, searchText: 'hello' }]);
    await a.close();
    const b = await openSqliteJournalStore(dir);
    assert.equal((await b.getConversation('c1'))?.exchanges.length, 1);
    assert.equal(b.integrityCheck(), 'ok');
    await b.close();

    const db = await openSqliteDatabase(join(dir, 'journal.db'));
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('auto_vacuum', { simple: true }), 2, 'INCREMENTAL');
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
    assert.deepEqual(versions.map((v) => v.version), JOURNAL_MIGRATIONS.map((m) => m.version));
    db.close();
  });

  it('refuses a journal written by a newer schema', async () => {
    const dir = join(root, 'newer');
    await (await openSqliteJournalStore(dir)).close();
    const db = await openSqliteDatabase(join(dir, 'journal.db'));
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('from the future');
    db.close();
    await assert.rejects(openSqliteJournalStore(dir), /journal database has schema version 999/);
  });

  it('gives pruned pages back: the file does not grow across cycles of writing and expiring', async () => {
    const dir = join(root, 'vacuum');
    const s = await openSqliteJournalStore(dir);
    const db = await openSqliteDatabase(join(dir, 'journal.db'));
    const pages = () => db.pragma('page_count', { simple: true }) as number;
    const text = 'lorem ipsum dolor sit amet '.repeat(200);
    const sizes: number[] = [];
    for (let cycle = 0; cycle < 4; cycle++) {
      const batch = Array.from({ length: 200 }, (_, i) => {
        const x = sampleExchange({ id: `r${cycle}-${i}`, conversationId: `c${cycle}-${i}`, expiresAt: cycle * 10 + 5 });
        x.answer.text = text;
        return { exchange: x, conversation: { title: 't' }, searchText: text };
      });
      await s.appendBatch(batch);
      sizes.push(pages());
      while ((await s.pruneExpired(cycle * 10 + 6, 64)) > 0);
    }
    const afterPrune = pages();
    assert.ok(sizes[3]! <= sizes[0]! * 1.2, `page counts per cycle ${sizes.join(', ')} should stay flat`);
    assert.ok(afterPrune < sizes[0]! / 2, `after pruning everything the file shrinks (${afterPrune} pages vs ${sizes[0]})`);
    assert.equal(s.integrityCheck(), 'ok');
    db.close();
    await s.close();
  });
});
