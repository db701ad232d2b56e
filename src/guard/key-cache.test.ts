import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ManualClock } from '../core/clock.js';
import { sampleKey } from '../storage/key-store-contract.js';
import type { StoredKey } from '../storage/key-store.js';
import { MemoryKeyStore } from '../storage/memory/memory-key-store.js';
import { KeyCache, rulesFor } from './key-cache.js';
import { DEFAULT_GUARD_SETTINGS } from './settings.js';

const H = 'a'.repeat(64);

it('a slow older load never overwrites a newer one (a revoked key must not come back)', async () => {
  const store = new MemoryKeyStore();
  await store.create(sampleKey('key_a', H));
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  let firstRead: () => void = () => {};
  const read = new Promise<void>((r) => (firstRead = r));
  let calls = 0;
  const realList = store.list.bind(store);
  // The first load reads the list, then stalls before it can install it.
  store.list = async (): Promise<StoredKey[]> => {
    const keys = await realList();
    if (calls++ === 0) {
      firstRead();
      await gate;
    }
    return keys;
  };
  const cache = new KeyCache(store, DEFAULT_GUARD_SETTINGS, () => 0, new ManualClock(), () => {});
  const first = cache.reload();
  await read;
  await store.revoke('key_a', 1);
  const second = cache.reload();
  // Give the second load every chance to finish before the first one wakes up.
  await new Promise((r) => setImmediate(r));
  release();
  await Promise.all([first, second]);
  assert.equal(cache.lookup(H)?.record.revokedAt, 1);
});

it('limit rules: the key\'s own limits over the defaults, field by field, then its team\'s', () => {
  const k = sampleKey('key_a', H, { team: 'research', limits: { tokensPerMinute: 5 } });
  assert.deepEqual(rulesFor(k, { defaultLimits: { requestsPerMinute: 60, tokensPerMinute: 1000 }, teams: { research: { concurrentRequests: 3 } } }), [
    { subject: 'key:key_a', requestsPerMinute: 60, tokensPerMinute: 5 },
    { subject: 'team:research', concurrentRequests: 3 },
  ]);
  assert.deepEqual(rulesFor(sampleKey('key_b', H), { defaultLimits: {}, teams: {} }), [{ subject: 'key:key_b' }]);
});
