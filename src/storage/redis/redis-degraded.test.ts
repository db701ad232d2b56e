/**
 * Redis going away and coming back, for real: a redis-server of this test's own on a free port,
 * killed and started again (the shared server cannot be stopped under other tests).
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../../core/clock.js';
import type { LimitRule, LimitStore } from '../limit-store.js';
import { openLimitStore } from '../open-limit-store.js';
import { openStateStores } from '../open-state-stores.js';
import type { DegradedLimitStore } from './degraded-limit-store.js';
import { freePort, haveRedisServer, startRedis, stopRedis as stop } from '../../test-support/own-redis.js';

const T0 = Date.UTC(2024, 5, 4, 14, 0);
const haveServer = haveRedisServer();

describe('limits when Redis goes away and comes back', { skip: !haveServer && !process.env.CI ? 'redis-server is not installed' : false }, () => {
  const children: ChildProcess[] = [];
  const stores: LimitStore[] = [];
  after(async () => {
    for (const s of stores) await s.close();
    for (const c of children) await stop(c);
  });

  it('two instances: Redis dies, each enforces half of every limit (logged once), and the spend converges when Redis is back', async () => {
    const port = await freePort();
    let server = await startRedis(port);
    children.push(server);
    const url = `redis://127.0.0.1:${port}`;
    const clock = new ManualClock(T0);
    const log: string[] = [];
    const logger = { warn: (_: unknown, m: string) => log.push(`warn ${m}`), info: (_: unknown, m: string) => log.push(`info ${m}`) };
    const a = (await openLimitStore({ kind: 'redis', url, clock, log: logger })) as DegradedLimitStore;
    const b = await openLimitStore({ kind: 'redis', url, clock });
    stores.push(a, b);
    // b joined after a's first beat: a counts again at its next heartbeat.
    clock.advance(5_000);
    await new Promise((r) => setTimeout(r, 50));
    const rules: LimitRule[] = [{ subject: 'key:k', requestsPerMinute: 10, budget: { micros: 10_000, period: 'day' } }];
    let id = 0;
    const reserve = (s: LimitStore, cost = 0) => s.reserve({ id: `r${id++}`, now: clock.now(), rules, tokens: 0, costMicros: cost, leaseMs: 60_000 });

    // Shared: 4 requests and 6,000 of 10,000 spent between the two.
    for (let i = 0; i < 2; i++) assert.equal((await reserve(a, 3_000)).admitted, true);
    for (let i = 0; i < 2; i++) assert.equal((await reserve(b)).admitted, true);
    assert.equal(a.degraded, false);

    await stop(server);
    clock.advance(1);
    // Half of 10 RPM each (fresh in memory), and half of the 4,000 left of the budget: 2,000.
    const first = await reserve(a, 1_500);
    assert.equal(a.degraded, true);
    assert.equal(first.admitted, true);
    assert.equal(first.usage[0]!.requestsLimit, 5, 'the share is visible in the usage');
    assert.equal((await reserve(a, 1_500)).admitted, true);
    const overBudget = await reserve(a, 1_500);
    assert.equal(overBudget.admitted, false);
    assert.equal(overBudget.refusedBy?.limit, 'budget');
    assert.equal(log.filter((l) => l.startsWith('warn')).length, 1, 'one line per transition');
    assert.match(log[0]!, /1\/2 of every limit/);

    // Redis returns (empty: it keeps nothing on disk). The next try after a second ends the degradation.
    server = await startRedis(port);
    children.push(server);
    const start = Date.now();
    while (a.degraded) {
      assert.ok(Date.now() - start < 10_000, 'converged within 10 s of Redis returning');
      clock.advance(1_000);
      await a.usage(rules, clock.now());
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(log.filter((l) => l.startsWith('info')).length, 1);
    // The 3,000 spent while degraded joined the shared budget, which both instances read.
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await b.usage(rules, clock.now()))[0]!.spentMicros, 3_000);
    assert.equal((await a.usage(rules, clock.now()))[0]!.requestsLimit, 10, 'the full limit, shared again');
  });

  it('router state: while Redis is away each instance parks alone (counted); back, parkings propagate again', async () => {
    const port = await freePort();
    let server = await startRedis(port);
    children.push(server);
    const url = `redis://127.0.0.1:${port}`;
    const clock = new ManualClock(T0);
    const a = await openStateStores({ kind: 'redis', url, clock });
    const b = await openStateStores({ kind: 'redis', url, clock });
    stores.push({ close: () => a.close() } as LimitStore, { close: () => b.close() } as LimitStore);
    await stop(server);
    await until(() => !a.status().connected);
    a.cooldowns.park('openai/gpt-4o', T0 + 60_000, 'rate limited');
    assert.ok(a.cooldowns.get('openai/gpt-4o', T0), 'parked locally at once');
    await until(() => a.status().failedWrites === 1);
    server = await startRedis(port);
    children.push(server);
    await until(() => a.status().connected && b.status().connected, 10_000);
    a.cooldowns.park('anthropic/claude', T0 + 60_000, 'rate limited');
    await until(() => b.cooldowns.get('anthropic/claude', T0) !== undefined, 2_000);
    assert.equal(b.cooldowns.get('openai/gpt-4o', T0), undefined, 'what Redis never received stays with its instance');
  });
});

async function until(check: () => boolean, ms = 2_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    assert.ok(Date.now() - start < ms, `not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
