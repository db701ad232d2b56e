/**
 * The one contract every KeyStore adapter must pass (DESIGN.md principle 8). Adapter test files
 * call keyStoreContract(name, factory); the factory returns a fresh, empty store.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KeyStore, StoredKey } from './key-store.js';

const T0 = Date.UTC(2024, 11, 11, 15, 16); // 2024-12-11 15:16 UTC, when OpenAI's long outage began

export function sampleKey(id: string, hash: string, init: Partial<StoredKey> = {}): StoredKey {
  return {
    id,
    hash,
    prefix: `sk-sy-${id.slice(-4)}`,
    name: `key ${id}`,
    metadata: {},
    limits: {},
    createdAt: T0,
    updatedAt: T0,
    ...init,
  };
}

const H = (c: string) => c.repeat(64);

export function keyStoreContract(name: string, open: () => Promise<KeyStore>): void {
  const withStore = (fn: (s: KeyStore) => Promise<void>) => async () => {
    const s = await open();
    try {
      await fn(s);
    } finally {
      await s.close();
    }
  };

  describe(`KeyStore contract: ${name}`, () => {
    it('creates, gets by id and finds by hash; unknown ids and hashes are undefined', withStore(async (s) => {
      const k = sampleKey('key_a', H('a'), { team: 'research', owner: 'ana', aliases: ['chat'], priority: 'batch', expiresAt: T0 + 86_400_000, metadata: { cost_center: '42' }, limits: { requestsPerMinute: 60, budget: { micros: 10_000, period: 'day' } } });
      await s.create(k);
      assert.deepEqual(await s.get('key_a'), k);
      assert.deepEqual(await s.findByHash(H('a')), k);
      assert.equal(await s.get('key_b'), undefined);
      assert.equal(await s.findByHash(H('b')), undefined);
    }));

    it('refuses a second key with the same id or the same hash', withStore(async (s) => {
      await s.create(sampleKey('key_a', H('a')));
      await assert.rejects(s.create(sampleKey('key_a', H('b'))));
      await assert.rejects(s.create(sampleKey('key_b', H('a'))));
      assert.equal((await s.list()).length, 1);
    }));

    it('lists every key, revoked ones too, oldest first', withStore(async (s) => {
      await s.create(sampleKey('key_c', H('c'), { createdAt: T0 + 2 }));
      await s.create(sampleKey('key_a', H('a'), { createdAt: T0 + 1 }));
      await s.create(sampleKey('key_b', H('b'), { createdAt: T0 + 1 }));
      await s.revoke('key_b', T0 + 5);
      assert.deepEqual((await s.list()).map((k) => k.id), ['key_a', 'key_b', 'key_c']);
    }));

    it('updates the given fields, clears those set to null, keeps the hash and stamps updatedAt', withStore(async (s) => {
      await s.create(sampleKey('key_a', H('a'), { team: 'research', aliases: ['chat'], expiresAt: T0 + 1000, metadata: { a: '1' } }));
      const u = await s.update('key_a', { name: 'renamed', team: null, aliases: ['chat', 'smart'], expiresAt: null, limits: { tokensPerMinute: 1000 } }, T0 + 10);
      const expected = sampleKey('key_a', H('a'), { name: 'renamed', aliases: ['chat', 'smart'], metadata: { a: '1' }, limits: { tokensPerMinute: 1000 }, updatedAt: T0 + 10 });
      assert.deepEqual(u, expected);
      assert.deepEqual(await s.get('key_a'), expected);
      assert.deepEqual(await s.findByHash(H('a')), expected);
      assert.equal(await s.update('key_zz', { name: 'x' }, T0), undefined);
    }));

    it('revokes once: a second revoke keeps the first time', withStore(async (s) => {
      await s.create(sampleKey('key_a', H('a')));
      assert.equal((await s.revoke('key_a', T0 + 5))?.revokedAt, T0 + 5);
      assert.equal((await s.revoke('key_a', T0 + 9))?.revokedAt, T0 + 5);
      assert.equal((await s.findByHash(H('a')))?.revokedAt, T0 + 5);
      assert.equal(await s.revoke('key_zz', T0), undefined);
    }));

    it('rotates: the new hash finds the key, the old one too until its grace ends, one grace at a time', withStore(async (s) => {
      await s.create(sampleKey('key_a', H('a'), { prefix: 'sk-sy-AAAA' }));
      const r = await s.rotate('key_a', { hash: H('b'), prefix: 'sk-sy-BBBB' }, T0 + 60_000, T0 + 1);
      assert.equal(r?.hash, H('b'));
      assert.equal(r?.prefix, 'sk-sy-BBBB');
      assert.deepEqual(r?.previous, { hash: H('a'), prefix: 'sk-sy-AAAA', validUntil: T0 + 60_000 });
      assert.equal((await s.findByHash(H('b')))?.id, 'key_a');
      assert.equal((await s.findByHash(H('a')))?.id, 'key_a');

      await s.rotate('key_a', { hash: H('c'), prefix: 'sk-sy-CCCC' }, T0 + 120_000, T0 + 2);
      assert.equal(await s.findByHash(H('a')), undefined);
      assert.equal((await s.findByHash(H('b')))?.previous?.hash, H('b'));

      // No grace: the old key stops at once.
      const now = await s.rotate('key_a', { hash: H('d'), prefix: 'sk-sy-DDDD' }, T0 + 3, T0 + 3);
      assert.equal(now?.previous, undefined);
      assert.equal(await s.findByHash(H('c')), undefined);
      assert.equal(await s.rotate('key_zz', { hash: H('e'), prefix: 'x' }, T0, T0), undefined);
    }));

    it('moves the revision on every write and only on writes', withStore(async (s) => {
      const r0 = await s.revision();
      await s.create(sampleKey('key_a', H('a')));
      const r1 = await s.revision();
      assert.ok(r1 > r0);
      await s.get('key_a');
      await s.list();
      await s.findByHash(H('a'));
      assert.equal(await s.revision(), r1);
      await s.update('key_a', { name: 'b' }, T0);
      const r2 = await s.revision();
      await s.revoke('key_a', T0);
      const r3 = await s.revision();
      await s.rotate('key_a', { hash: H('b'), prefix: 'p' }, T0, T0);
      const r4 = await s.revision();
      assert.ok(r1 < r2 && r2 < r3 && r3 < r4, `${r1} ${r2} ${r3} ${r4}`);
      await s.update('key_zz', { name: 'x' }, T0);
      assert.equal(await s.revision(), r4);
    }));

    it('returns copies: mutating a result does not change the store', withStore(async (s) => {
      await s.create(sampleKey('key_a', H('a'), { aliases: ['chat'] }));
      const k = (await s.get('key_a'))!;
      k.aliases!.push('smart');
      k.limits.requestsPerMinute = 1;
      const again = (await s.get('key_a'))!;
      assert.deepEqual(again.aliases, ['chat']);
      assert.deepEqual(again.limits, {});
    }));
  });
}
