import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../../core/clock.js';
import { dropRedisPrefix, serviceUrl, uniqueName } from '../../test-support/services.js';
import { alertClaimStoreContract } from '../alert-claim-store-contract.js';
import { breakerStoreContract } from '../breaker-store-contract.js';
import { cooldownStoreContract } from '../cooldown-store-contract.js';
import { counterStoreContract } from '../counter-store-contract.js';
import { openStateStores } from '../open-state-stores.js';
import type { StateStores } from '../state-stores.js';
import { RedisCounterStore } from './redis-counter-store.js';

const T0 = Date.UTC(2024, 5, 4, 14, 14);

/** Poll `check` until it holds, at most `ms` (pub/sub crosses two connections; nothing to inject). */
async function within(ms: number, check: () => boolean): Promise<number> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > ms) assert.fail(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
  return performance.now() - start;
}

const url = serviceUrl('REDIS_URL');
if (url) {
  const prefix = uniqueName('prefix');
  const opened: StateStores[] = [];
  let n = 0;
  after(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await dropRedisPrefix(url, prefix);
  });
  /** A fresh fleet's store (its own prefix), or another instance of fleet `fleet`. */
  const open = async (fleet = `${n++}`, clock = new ManualClock(T0)) => {
    const s = await openStateStores({ kind: 'redis', url, keyPrefix: `${prefix}${fleet}:`, clock });
    opened.push(s);
    return s;
  };

  cooldownStoreContract('redis', async () => (await open()).cooldowns);
  breakerStoreContract('redis', async () => (await open()).breakers);
  counterStoreContract('redis', async () => (await open()).counters);
  alertClaimStoreContract('redis', async () => ({ store: (await open()).alertClaims, wait: (ms) => new Promise((r) => setTimeout(r, ms)) }));

  describe('Redis state stores across instances', () => {
    it('a key parked by one instance is parked for the others within 100 ms, and for one started later', async () => {
      const [a, b] = [await open('park'), await open('park')];
      a.cooldowns.park('credential:openai', T0 + 60_000, 'quota');
      const took = await within(100, () => b.cooldowns.get('credential:openai', T0) !== undefined);
      assert.deepEqual(b.cooldowns.get('credential:openai', T0 + 1), { until: T0 + 60_000, reason: 'quota' });
      assert.ok(took < 100, `${took} ms`);
      // The longer parking wins on every instance, whoever wrote it.
      b.cooldowns.park('credential:openai', T0 + 120_000, 'quota again');
      a.cooldowns.park('credential:openai', T0 + 90_000, 'shorter');
      await within(100, () => a.cooldowns.get('credential:openai', T0)?.until === T0 + 120_000);
      assert.equal(b.cooldowns.get('credential:openai', T0)?.reason, 'quota again');
      const c = await open('park');
      assert.deepEqual(c.cooldowns.get('credential:openai', T0), { until: T0 + 120_000, reason: 'quota again' });
    });

    it('a breaker opened by one instance is open on the others within 100 ms; the last transition wins everywhere', async () => {
      const [a, b] = [await open('breaker'), await open('breaker')];
      const ra = a.breakers.record('openai/gpt-4o');
      const rb = b.breakers.record('openai/gpt-4o');
      Object.assign(ra, { state: 'open', openUntil: T0 + 5_000, opens: 1 });
      a.breakers.changed('openai/gpt-4o');
      await within(100, () => rb.state === 'open');
      assert.deepEqual({ ...rb }, { state: 'open', openUntil: T0 + 5_000, opens: 1 });
      // Both move at once: each ends with the one Redis published last.
      Object.assign(ra, { state: 'half_open' });
      a.breakers.changed('openai/gpt-4o');
      Object.assign(rb, { state: 'closed', openUntil: T0 + 5_000, opens: 0 });
      b.breakers.changed('openai/gpt-4o');
      await within(200, () => ra.state === rb.state && ra.opens === rb.opens);
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(ra.state, rb.state);
      assert.equal((await open('breaker')).breakers.record('openai/gpt-4o').state, ra.state, 'a new instance loads it');
    });

    it('retry-budget counts merge: each instance sees its own at once and the others after a merge', async () => {
      const [a, b] = [await open('count'), await open('count')];
      const wa = a.counters.window('budget:chat:first', 10);
      const wb = b.counters.window('budget:chat:first', 10);
      wa.add(100, 3);
      wb.add(101, 2);
      assert.equal(wa.sum(91, 101), 3);
      await (a.counters as RedisCounterStore).sync();
      await (b.counters as RedisCounterStore).sync();
      await (a.counters as RedisCounterStore).sync();
      assert.equal(wa.sum(92, 101), 5);
      assert.equal(wb.sum(92, 101), 5);
      wa.add(101, 1);
      await (a.counters as RedisCounterStore).sync();
      await (b.counters as RedisCounterStore).sync();
      assert.equal(wb.sum(92, 101), 6, 'nothing is counted twice');
      assert.equal(wb.sum(101, 110), 3, 'slot 100 left the window');
    });

    it('one instance holds the probe lease at a time; it renews, and another takes it when released', async () => {
      const [a, b] = [await open('lease'), await open('lease')];
      assert.equal(await a.leases.acquire('probes', 'a', 10_000), true);
      assert.equal(await b.leases.acquire('probes', 'b', 10_000), false);
      assert.equal(await a.leases.acquire('probes', 'a', 10_000), true, 'renewed');
      await b.leases.release('probes', 'b');
      assert.equal(await b.leases.acquire('probes', 'b', 10_000), false, 'b cannot release what a holds');
      await a.leases.release('probes', 'a');
      assert.equal(await b.leases.acquire('probes', 'b', 10_000), true);
      assert.equal(await a.leases.acquire('probes', 'a', 50), false);
    });
  });
}
