import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { healthStoreContract } from '../health-store-contract.js';
import { openHealthStore } from '../open-health-store.js';
import { emptyBucket } from '../metrics-store.js';
import { openSqliteDatabase } from './driver.js';
import { MIGRATIONS } from './migrations.js';

const root = mkdtempSync(join(tmpdir(), 'switchyard-sqlite-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

healthStoreContract('sqlite', () => openHealthStore({ kind: 'sqlite', dir: join(root, `store-${n++}`) }));

describe('SQLite health store', () => {
  it('keeps data across reopen, in WAL mode, with the migrations recorded', async () => {
    const dir = join(root, 'reopen');
    const a = await openHealthStore({ kind: 'sqlite', dir });
    await a.metrics.add([{ ...emptyBucket('openai/gpt-4o', 1_700_000_000_000), requests: 5 }]);
    await a.close();
    const b = await openHealthStore({ kind: 'sqlite', dir });
    const rows = await b.metrics.read({ resolution: 'day', from: 0, to: 2e12 });
    assert.equal(rows[0]?.requests, 5);
    await b.metrics.add([{ ...emptyBucket('openai/gpt-4o', 1_700_000_000_000), requests: 1 }]);
    assert.equal((await b.metrics.read({ resolution: 'minute', from: 0, to: 2e12 }))[0]?.requests, 6);
    await b.close();

    const db = await openSqliteDatabase(join(dir, 'switchyard.db'));
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
    assert.deepEqual(versions.map((v) => v.version), MIGRATIONS.map((m) => m.version));
    db.close();
  });

  it('refuses a database written by a newer schema instead of corrupting it', async () => {
    const dir = join(root, 'newer');
    await (await openHealthStore({ kind: 'sqlite', dir })).close();
    const db = await openSqliteDatabase(join(dir, 'switchyard.db'));
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('from the future');
    db.close();
    await assert.rejects(openHealthStore({ kind: 'sqlite', dir }), /schema version 999/);
  });
});
