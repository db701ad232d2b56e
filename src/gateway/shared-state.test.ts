/**
 * Issue #27 acceptance, in one process: three gateways (three Gateway objects, each with its own
 * Redis connections) in front of the same simulated providers, sharing one keys.db and one Redis
 * key prefix, behave as one gateway: one key's limit holds across them, a breaker opened or a
 * credential parked by one is respected by the others within 100 ms, and with Redis killed they
 * keep serving on a per-instance share that /healthz shows, converging again when Redis is back.
 * The multi-process version (real `serve` processes) is src/cli/scale-out.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { GatewayConfig } from '../config/types.js';
import { createLogger } from '../http/logger.js';
import { DEFAULT_GUARD_SETTINGS } from '../guard/settings.js';
import { createSim, type SimServer } from '../sim/index.js';
import { simGatewayConfig } from '../sim/gateway-config.js';
import type { KeyLimits } from '../storage/key-store.js';
import type { StorageStatus } from '../storage/storage-status.js';
import { dropRedisPrefix, serviceUrl, uniqueName } from '../test-support/services.js';
import { freePort, haveRedisServer, startRedis, stopRedis, type OwnRedis } from '../test-support/own-redis.js';
import { createGateway, type Gateway } from './gateway.js';

const CALM = { eventLoopDelayMs: () => 0, heapUsedRatio: () => 0, close: () => {} };
const ADMIN = 'sk-admin-FAKE-shared-state-000000';

interface Fleet {
  gateways: Gateway[];
  urls: string[];
  logs: string[];
  close(): Promise<void>;
}

/** `n` gateways on one Redis prefix and one keys.db, in front of `sims`. */
async function startFleet(n: number, sims: { openai: SimServer; anthropic: SimServer }, redisUrl: string, prefix: string, dataDir: string): Promise<Fleet> {
  const [openai, anthropic] = [sims.openai.url, sims.anthropic.url];
  const base = simGatewayConfig({ openai, anthropic });
  const config: GatewayConfig = {
    ...base,
    guard: { ...DEFAULT_GUARD_SETTINGS, auth: 'keys', adminKey: ADMIN, dataDir, keyRefreshMs: 200 },
    storage: { state: 'redis', redisUrl, keyPrefix: prefix, fallbackInstances: 2 },
  };
  const logs: string[] = [];
  const gateways: Gateway[] = [];
  const urls: string[] = [];
  for (let i = 0; i < n; i++) {
    const logger = createLogger('info', { write: (s: string) => void logs.push(s) });
    const gw = await createGateway(config, { logger, loadSampler: CALM });
    gateways.push(gw);
    urls.push(await gw.listen());
  }
  return {
    gateways,
    urls,
    logs,
    close: async () => {
      for (const g of gateways) await g.close();
    },
  };
}

function ask(url: string, secret: string, model = 'via-openai'): Promise<number> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello' }] }),
  }).then(async (r) => {
    await r.arrayBuffer();
    return r.status;
  });
}

async function metricsText(url: string): Promise<string> {
  const r = await fetch(`${url}/metrics`);
  assert.equal(r.status, 200);
  return r.text();
}

async function healthz(url: string): Promise<StorageStatus> {
  const r = await fetch(`${url}/healthz`);
  assert.equal(r.status, 200, 'alive whatever Redis does');
  return ((await r.json()) as { storage: StorageStatus }).storage;
}

async function until(what: string, ms: number, check: () => boolean | Promise<boolean>, everyMs = 5): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    if (await check()) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`${what}: not within ${ms} ms`);
}

const SHARED = serviceUrl('REDIS_URL');

describe('three gateways on one Redis', { skip: SHARED === undefined }, () => {
  const sims = { openai: createSim('openai'), anthropic: createSim('anthropic') };
  const prefix = uniqueName('prefix');
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-fleet-'));
  let fleet: Fleet;
  const newKey = async (name: string, limits: KeyLimits) => (await fleet.gateways[0]!.context.guard!.keys.create({ name, limits })).secret;

  before(async () => {
    await Promise.all([sims.openai.start(), sims.anthropic.start()]);
    fleet = await startFleet(3, sims, SHARED!, prefix, dir);
  });
  after(async () => {
    await fleet?.close();
    await Promise.all([sims.openai.stop(), sims.anthropic.stop()]);
    await dropRedisPrefix(SHARED!, prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('one key at 100 RPM, 200 concurrent clients spread over three gateways: 100 admitted in the window, the rest 429', async () => {
    const secret = await newKey('fleet-rpm', { requestsPerMinute: 100 });
    // The other two learn of the new key within keyRefreshMs (200 ms here) from the shared keys.db.
    await until('the key is known everywhere', 8_000, async () => (await Promise.all(fleet.urls.map((u) => ask(u, secret, 'nope')))).every((s) => s !== 401), 200);
    const before = sims.openai.stats.requests;
    const statuses = await Promise.all(Array.from({ length: 200 }, (_, i) => ask(fleet.urls[i % 3]!, secret)));
    const admitted = statuses.filter((s) => s === 200).length;
    assert.ok(admitted <= 101 && admitted >= 97, `admitted ${admitted} of 200 (the probes for "known everywhere" took up to 3)`);
    assert.equal(statuses.filter((s) => s !== 200 && s !== 429).length, 0, `only 200 and 429: ${statuses.join(',')}`);
    assert.equal(sims.openai.stats.requests - before, admitted, 'every refusal was refused before the provider');
    for (const u of fleet.urls) assert.equal((await healthz(u)).limits, 'shared by every instance (Redis)');
  });

  it('a credential parked by one gateway (quota spent) is parked on the others within 100 ms: they send it nothing', async () => {
    const secret = await newKey('fleet-park', {});
    await until('the key is known everywhere', 8_000, async () => (await Promise.all(fleet.urls.map((u) => ask(u, secret, 'nope')))).every((s) => s !== 401), 200);
    sims.openai.faults.set([{ fault: { kind: 'status', status: 429, variant: 'quota' }, times: 1 }]);
    assert.notEqual(await ask(fleet.urls[0]!, secret), 200, 'the only target said its quota is spent');
    const parked = (g: Gateway) => g.context.router.state.cooldowns.get('credential:sim-openai', Date.now()) !== undefined;
    assert.ok(parked(fleet.gateways[0]!));
    const ms = await until('parked on B and C', 100, () => parked(fleet.gateways[1]!) && parked(fleet.gateways[2]!), 1);
    const before = sims.openai.stats.requests;
    assert.equal(await ask(fleet.urls[1]!, secret, 'chat'), 200, 'B serves from the next target');
    assert.equal(await ask(fleet.urls[2]!, secret, 'chat'), 200, 'C too');
    assert.equal(sims.openai.stats.requests, before, `nothing reached the parked credential (seen ${ms.toFixed(1)} ms after A parked it)`);
  });

  it("a breaker opened by one gateway is open on the others within 100 ms: they send that target nothing", async () => {
    const secret = await newKey('fleet-breaker', {});
    await until('the key is known everywhere', 8_000, async () => (await Promise.all(fleet.urls.map((u) => ask(u, secret, 'nope')))).every((s) => s !== 401), 200);
    const target = fleet.gateways[0]!.context.routes.all().find((r) => r.alias === 'via-anthropic')!.targets[0]!;
    const breaker = (g: Gateway) => g.context.router.state.target(target).breaker;
    sims.anthropic.faults.set([{ fault: { kind: 'status', status: 500 } }]);
    for (let i = 0; i < 20 && breaker(fleet.gateways[0]!).state !== 'open'; i++) await ask(fleet.urls[0]!, secret, 'via-anthropic');
    sims.anthropic.faults.set([]);
    assert.equal(breaker(fleet.gateways[0]!).state, 'open', 'A opened its breaker');
    const ms = await until('open on B and C', 100, () => breaker(fleet.gateways[1]!).state === 'open' && breaker(fleet.gateways[2]!).state === 'open', 1);
    const before = sims.anthropic.stats.requests;
    assert.notEqual(await ask(fleet.urls[1]!, secret, 'via-anthropic'), 200);
    assert.equal(sims.anthropic.stats.requests, before, `B sent the open target nothing (open there ${ms.toFixed(1)} ms after A)`);
  });
});

describe('three gateways when Redis dies and comes back', { skip: !haveRedisServer() && !process.env.CI ? 'redis-server is not installed' : false }, () => {
  const sims = { openai: createSim('openai'), anthropic: createSim('anthropic') };
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-fleet-down-'));
  let redis: OwnRedis | undefined;
  let fleet: Fleet | undefined;
  after(async () => {
    await fleet?.close();
    if (redis) await stopRedis(redis);
    await Promise.all([sims.openai.stop(), sims.anthropic.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('each keeps serving on a third of the limit, /healthz says so and a warning is logged; within 10 s of Redis returning the limit is shared again', async () => {
    await Promise.all([sims.openai.start(), sims.anthropic.start()]);
    const port = await freePort();
    redis = await startRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    fleet = await startFleet(3, sims, url, uniqueName('prefix'), dir);
    const f = fleet;
    const guard = f.gateways[0]!.context.guard!;
    const before = (await guard.keys.create({ name: 'down', limits: { requestsPerMinute: 30 } })).secret;
    const after_ = (await guard.keys.create({ name: 'back', limits: { requestsPerMinute: 30 } })).secret;
    // Every instance has counted the others (heartbeats every 5 s) and knows the keys (reloads every 5 s).
    await until('three live instances seen by each', 12_000, async () => (await Promise.all(f.urls.map(healthz))).every((s) => s.instances === 3), 250);
    await until('the keys are known everywhere', 8_000, async () => (await Promise.all(f.urls.map((u) => ask(u, after_, 'nope')))).every((s) => s !== 401), 200);

    await stopRedis(redis);
    const counts = await Promise.all(f.urls.map(async (u) => (await Promise.all(Array.from({ length: 20 }, () => ask(u, before)))).filter((s) => s === 200).length));
    assert.deepEqual(counts, [10, 10, 10], 'each instance: floor(30 / 3), never the full 30');
    for (const s of await Promise.all(f.urls.map(healthz))) {
      assert.equal(s.degraded, true);
      assert.equal(s.limits, 'per instance: each limit / 3 (Redis is unreachable)');
    }
    assert.ok(f.logs.some((l) => l.includes('"level":40') && l.includes('each instance now enforces 1/3 of every limit')), 'a warning says so');
    for (const u of f.urls) assert.match(await metricsText(u), /^switchyard_redis_degraded 1$/m, '/metrics shows the degradation');

    redis = await startRedis(port);
    const t0 = performance.now();
    // Requests try Redis again (at most once a second each); the first that succeeds ends the degradation.
    await until('every instance shares its limits again', 10_000, async () => {
      await Promise.all(f.urls.map((u) => ask(u, before)));
      return (await Promise.all(f.urls.map(healthz))).every((s) => !s.degraded);
    }, 200);
    const recoveredMs = performance.now() - t0;
    const statuses = await Promise.all(Array.from({ length: 90 }, (_, i) => ask(f.urls[i % 3]!, after_)));
    assert.equal(statuses.filter((s) => s === 200).length, 30, `shared again ${recoveredMs.toFixed(0)} ms after Redis returned: 30 of 90 across the three`);
    assert.ok(f.logs.some((l) => l.includes('limits: Redis is back')), 'the recovery is logged');
    assert.match(await metricsText(f.urls[0]!), /^switchyard_redis_degraded 0$/m);
  });
});

describe('storage secrets', { skip: !haveRedisServer() && !process.env.CI ? 'redis-server is not installed' : false }, () => {
  it("a Redis URL's password appears in no log line and no response, even while Redis is unreachable", async () => {
    const sims = { openai: createSim('openai'), anthropic: createSim('anthropic') };
    await Promise.all([sims.openai.start(), sims.anthropic.start()]);
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-secret-'));
    const password = 'FAKE-redis-password-7c1e9';
    const port = await freePort();
    const fleet = await startFleet(1, sims, `redis://:${password}@127.0.0.1:${port}`, uniqueName('prefix'), dir);
    try {
      const secret = (await fleet.gateways[0]!.context.guard!.keys.create({ name: 'k', limits: { requestsPerMinute: 5 } })).secret;
      const bodies: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await fetch(`${fleet.urls[0]}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: 'via-openai', messages: [{ role: 'user', content: 'hi' }] }) });
        bodies.push(await r.text());
      }
      const status = await fetch(`${fleet.urls[0]}/healthz`).then((r) => r.text());
      assert.match(status, /"degraded":true/);
      assert.ok(fleet.logs.some((l) => l.includes('Redis is unreachable')), 'the degradation was logged');
      for (const text of [...fleet.logs, ...bodies, status]) assert.ok(!text.includes(password), `leaked in: ${text.slice(0, 200)}`);
    } finally {
      await fleet.close();
      await Promise.all([sims.openai.stop(), sims.anthropic.stop()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
