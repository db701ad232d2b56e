import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../core/clock.js';
import type { LeaseStore } from '../storage/lease-store.js';
import { MemoryLeaseStore } from '../storage/memory/memory-lease-store.js';
import { ProbeLease } from './probe-lease.js';
import { ProbeScheduler } from './probe-scheduler.js';

/** A shared lease store in miniature: one holder at a time, by expiry on the test's clock. */
function sharedStore(clock: ManualClock): LeaseStore & { down: boolean } {
  let holder: { owner: string; until: number } | undefined;
  return {
    down: false,
    async acquire(_name, owner, ttlMs) {
      if (this.down) throw new Error('connection refused');
      if (!holder || holder.until <= clock.now() || holder.owner === owner) holder = { owner, until: clock.now() + ttlMs };
      return holder.owner === owner;
    },
    async release(_name, owner) {
      if (holder?.owner === owner) holder = undefined;
    },
  };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('probe lease', () => {
  it('one instance probes; when it dies the other takes over within one ttl; with Redis away each probes alone', async () => {
    const clock = new ManualClock();
    const store = sharedStore(clock);
    const a = new ProbeLease(store, { clock, owner: 'a', ttlMs: 30_000 });
    const b = new ProbeLease(store, { clock, owner: 'b', ttlMs: 30_000 });
    await a.start();
    await b.start();
    assert.deepEqual([a.held, b.held], [true, false]);
    // a dies without releasing (no more renewals): b holds it once the ttl has run out.
    await a.stop().catch(() => undefined);
    await store.acquire('probes', 'a', 30_000); // a's last renewal just before dying
    for (let t = 0; t < 40_000; t += 10_000) {
      clock.advance(10_000);
      await flush();
    }
    assert.equal(b.held, true);
    store.down = true;
    const c = new ProbeLease(store, { clock, owner: 'c' });
    await c.start();
    assert.equal(c.held, true, 'no Redis: probe as if alone');
    await b.stop();
    await c.stop();
  });

  it('the scheduler probes only while its lease is held; alone (memory), the lease is always granted', async () => {
    const clock = new ManualClock();
    let probes = 0;
    const lease = { held: false };
    const s = new ProbeScheduler({ clock, sink: { record: () => {} }, probe: async () => (probes++, { ok: true }), targets: () => [{ provider: 'openai', model: 'gpt-4o' }], intervalMs: 60_000, lastTrafficAt: () => -Infinity, random: () => 0, lease });
    s.tick();
    assert.equal(probes, 0);
    lease.held = true;
    s.tick();
    assert.equal(probes, 1);
    assert.equal(await new MemoryLeaseStore().acquire('probes', 'anyone', 1), true);
  });
});
