import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../core/clock.js';
import { openKeyStore } from '../storage/open-key-store.js';
import { MemoryKeyStore } from '../storage/memory/memory-key-store.js';
import { openSqliteDatabase } from '../storage/sqlite/driver.js';
import { KEYS_DB_FILE } from '../storage/sqlite/sqlite-key-store.js';
import { KeyAdmin, KeyAdminError } from './key-admin.js';
import { keyView } from './key-view.js';
import { DEFAULT_GUARD_SETTINGS } from './settings.js';
import { hashKey } from './virtual-key.js';

const root = mkdtempSync(join(tmpdir(), 'switchyard-key-admin-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('KeyAdmin', () => {
  it('stores no key in clear: neither the SQLite rows nor the files hold the secret or its random part', async () => {
    const dir = join(root, 'clear');
    const store = await openKeyStore({ kind: 'sqlite', dir });
    const admin = new KeyAdmin(store, { clock: new ManualClock(), settings: DEFAULT_GUARD_SETTINGS });
    const { key, secret } = await admin.create({ name: 'ci', team: 'research', limits: { requestsPerMinute: 60 } });
    const rotated = (await admin.rotate(key.id, 60_000))!;
    await store.close();

    const db = await openSqliteDatabase(join(dir, KEYS_DB_FILE));
    const rows = JSON.stringify(db.prepare('SELECT * FROM virtual_keys').all());
    db.close();
    for (const s of [secret, rotated.secret]) {
      const random = s.slice('sk-sy-'.length);
      assert.ok(!rows.includes(random.slice(4)), 'a secret is in the rows');
      assert.ok(rows.includes(hashKey(s)), 'the digest is what is stored');
      for (const f of readdirSync(dir)) assert.ok(!readFileSync(join(dir, f)).includes(random.slice(4)), `a secret is in ${f}`);
    }
  });

  it('shows a key without its hash; the secret only comes back from create and rotate', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const admin = new KeyAdmin(new MemoryKeyStore(), { clock, settings: DEFAULT_GUARD_SETTINGS });
    const { key, secret } = await admin.create({ name: 'ci', aliases: ['chat'], expiresAt: Date.UTC(2026, 1, 1), limits: { budget: { micros: 2_500_000, period: 'week' } } });
    const view = keyView((await admin.get(key.id))!, clock.now(), admin.effectiveLimits(key));
    assert.deepEqual(view, {
      id: key.id,
      object: 'virtual_key',
      name: 'ci',
      prefix: `${secret.slice(0, 10)}…`,
      status: 'active',
      team: null,
      owner: null,
      aliases: ['chat'],
      priority: null,
      expires_at: '2026-02-01T00:00:00.000Z',
      metadata: {},
      limits: { budget: { usd: 2.5, period: 'week' } },
      effective_limits: { budget: { usd: 2.5, period: 'week' } },
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
      revoked_at: null,
      rotation: null,
    });
    assert.ok(!JSON.stringify(view).includes(key.hash));
    clock.advance(31 * 86_400_000);
    assert.equal(keyView((await admin.get(key.id))!, clock.now()).status, 'expired');
  });

  it('refuses unknown priority classes, rotating a revoked key, and usage without live counters', async () => {
    const admin = new KeyAdmin(new MemoryKeyStore(), { clock: new ManualClock(), settings: DEFAULT_GUARD_SETTINGS });
    await assert.rejects(admin.create({ name: 'x', priority: 'urgent' }), (e: unknown) => e instanceof KeyAdminError && /unknown priority class "urgent"; configured: interactive, batch/.test(e.message));
    const { key } = await admin.create({ name: 'x', priority: 'batch' });
    await assert.rejects(admin.update(key.id, { priority: 'vip' }), KeyAdminError);
    assert.equal((await admin.update(key.id, { priority: null }))?.priority, undefined);
    await admin.revoke(key.id);
    await assert.rejects(admin.rotate(key.id, 0), /revoked/);
    await assert.rejects(admin.usage(key.id), /running gateway/);
    assert.equal(await admin.rotate('key_nope', 0), undefined);
  });
});
