import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { keyStoreContract, sampleKey } from '../key-store-contract.js';
import { openKeyStore } from '../open-key-store.js';
import { openSqliteDatabase } from './driver.js';
import { KEY_MIGRATIONS, KEYS_DB_FILE } from './sqlite-key-store.js';

const root = mkdtempSync(join(tmpdir(), 'switchyard-keys-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

keyStoreContract('sqlite', () => openKeyStore({ kind: 'sqlite', dir: join(root, `store-${n++}`) }));

describe('SQLite key store', () => {
  it('keeps keys across reopen in its own file, with its own migrations, and sees writes of another connection', async () => {
    const dir = join(root, 'reopen');
    const a = await openKeyStore({ kind: 'sqlite', dir });
    const b = await openKeyStore({ kind: 'sqlite', dir });
    const before = await b.revision();
    await a.create(sampleKey('key_a', 'a'.repeat(64)));
    // The CLI writes while the gateway runs: the other connection sees the row and the revision move.
    assert.ok((await b.revision()) > before);
    assert.equal((await b.findByHash('a'.repeat(64)))?.id, 'key_a');
    await a.close();
    await b.close();

    const c = await openKeyStore({ kind: 'sqlite', dir });
    assert.equal((await c.get('key_a'))?.name, 'key key_a');
    await c.close();
    assert.ok(readdirSync(dir).includes(KEYS_DB_FILE));
    const db = await openSqliteDatabase(join(dir, KEYS_DB_FILE));
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[];
    assert.deepEqual(versions.map((v) => v.version), KEY_MIGRATIONS.map((m) => m.version));
    db.close();
  });

  it('refuses a key store written by a newer schema', async () => {
    const dir = join(root, 'newer');
    await (await openKeyStore({ kind: 'sqlite', dir })).close();
    const db = await openSqliteDatabase(join(dir, KEYS_DB_FILE));
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('from the future');
    db.close();
    await assert.rejects(openKeyStore({ kind: 'sqlite', dir }), /key store has schema version 999/);
  });
});
