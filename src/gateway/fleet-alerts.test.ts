/**
 * Issue #27, "incident deduplication", through real gateways: three Gateway objects on one Redis
 * key prefix (each with its own Redis connections, health tracker and alert dispatcher), one
 * webhook receiver. Each sees the same outage of a simulated provider a couple of seconds apart
 * and opens an incident of its own; the receiver gets one `incident.opened` and, after recovery,
 * one `incident.resolved`, both under one incident id. With their Redis killed, each gateway
 * still alerts: duplicates while degraded, never a lost alert.
 *
 * Time is a ManualClock shared by the three (health needs 30 s of failures to open and 5 min of
 * calm to resolve); Redis and the receiver run in real time, so the test waits for them with
 * generous bounds. The outage is fed to each gateway's outcome sink, the one its router feeds,
 * so that every instance sees it (through HTTP, the shared breaker would keep two of them from
 * ever reaching the failing provider).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TestReceiver } from '../alerts/test-receiver.js';
import { ManualClock } from '../core/clock.js';
import type { GatewayConfig } from '../config/types.js';
import { createLogger } from '../http/logger.js';
import { SIM_MODELS, simGatewayConfig } from '../sim/gateway-config.js';
import { freePort, haveRedisServer, startRedis, stopRedis, type OwnRedis } from '../test-support/own-redis.js';
import { dropRedisPrefix, serviceUrl, uniqueName } from '../test-support/services.js';
import { createGateway, type Gateway } from './gateway.js';

const T0 = Date.UTC(2024, 11, 11, 23, 16);
const CALM = { eventLoopDelayMs: () => 0, heapUsedRatio: () => 0, close: () => {} };
const PROVIDER = 'sim-openai';

interface Fleet {
  gateways: Gateway[];
  clock: ManualClock;
  receiver: TestReceiver;
  logs: string[];
  close(): Promise<void>;
}

async function startFleet(n: number, redisUrl: string, prefix: string): Promise<Fleet> {
  const receiver = new TestReceiver();
  const origin = await receiver.start();
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-fleet-alerts-'));
  // No request reaches these providers: the outage is fed to the outcome sinks.
  const config: GatewayConfig = {
    ...simGatewayConfig({ openai: 'http://127.0.0.1:9', anthropic: 'http://127.0.0.1:9' }),
    alerts: [{ name: 'hook', type: 'webhook', url: `${origin}/hook`, headers: {} }],
    storage: { state: 'redis', redisUrl, keyPrefix: prefix, fallbackInstances: n },
  };
  const clock = new ManualClock(T0);
  const logs: string[] = [];
  const gateways: Gateway[] = [];
  for (let i = 0; i < n; i++) {
    const logger = createLogger('info', { write: (s: string) => void logs.push(s) });
    gateways.push(await createGateway(config, { clock, logger, loadSampler: CALM, health: { store: 'memory', dataDir: dir } }));
  }
  return {
    gateways,
    clock,
    receiver,
    logs,
    close: async () => {
      for (const g of gateways) await g.close();
      await receiver.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `seconds` of traffic in 1 s steps, each gateway sending one attempt per step once its `start` (s) is reached. */
async function traffic(f: Fleet, seconds: number, ok: boolean, start: (i: number) => number = () => 0): Promise<void> {
  for (let s = 0; s < seconds; s++) {
    f.gateways.forEach((g, i) => {
      if (s < start(i)) return;
      g.context.outcomes.record({ provider: PROVIDER, model: SIM_MODELS.openai, at: f.clock.now(), stream: true, ...(ok ? { ok: true, ttftMs: 200 } : { ok: false, kind: 'transient', status: 503 }) });
    });
    f.clock.advance(1_000);
    // Let the Redis replies and deliveries that the tick started come in.
    await new Promise((r) => setImmediate(r));
  }
}

function events(r: TestReceiver): { event: string; id: string }[] {
  return r.received.map((x) => x.json as { event: string; incident: { id: string } }).map((b) => ({ event: b.event, id: b.incident.id }));
}

function openIds(f: Fleet): string[] {
  return f.gateways.map((g) => g.context.health!.openIncidents()[0]?.id ?? '');
}

async function settle(what: string, check: () => boolean, ms = 5_000): Promise<void> {
  const t0 = performance.now();
  while (!check()) {
    if (performance.now() - t0 > ms) assert.fail(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  // Whatever else was coming (a duplicate) has had ample time to arrive: claims and deliveries take a few ms on loopback.
  await new Promise((r) => setTimeout(r, 300));
}

const SHARED = serviceUrl('REDIS_URL');

describe('three gateways on one Redis, one provider outage', { skip: SHARED === undefined }, () => {
  const prefix = uniqueName('prefix');
  let fleet: Fleet;
  before(async () => {
    fleet = await startFleet(3, SHARED!, prefix);
  });
  after(async () => {
    await fleet?.close();
    await dropRedisPrefix(SHARED!, prefix);
  });

  it('each instance opens an incident of its own, the receiver gets exactly one incident.opened and one incident.resolved, under one of their ids', async () => {
    const f = fleet;
    // The three see the outage 0, 2 and 4 seconds apart.
    await traffic(f, 70, false, (i) => 2 * i);
    const ids = openIds(f);
    assert.equal(new Set(ids.filter(Boolean)).size, 3, `three incidents of their own: ${ids.join(', ')}`);
    await settle('the open is delivered', () => f.receiver.received.length >= 1);
    // Whose claim reaches Redis first is a race (their health ticks fall on the same instants): one of the three.
    const opens = events(f.receiver);
    assert.equal(opens.length, 1, JSON.stringify(opens));
    const fleetId = opens[0]!.id;
    assert.deepEqual(opens, [{ event: 'incident.opened', id: fleetId }]);
    assert.ok(ids.includes(fleetId));

    // Recovery: back to operational (an update: monitoring), then 5 minutes of calm.
    await traffic(f, 9 * 60, true);
    assert.deepEqual(openIds(f), ['', '', ''], 'every instance resolved its incident');
    await settle('the resolve is delivered', () => f.receiver.received.some((x) => (x.json as { event: string }).event === 'incident.resolved'));
    const got = events(f.receiver);
    assert.deepEqual(
      got.filter((e) => e.event !== 'incident.updated'),
      [
        { event: 'incident.opened', id: fleetId },
        { event: 'incident.resolved', id: fleetId },
      ],
    );
    assert.ok(
      got.filter((e) => e.event === 'incident.updated').every((e) => e.id === fleetId),
      `every update under the fleet's id: ${JSON.stringify(got)}`,
    );
    assert.ok(got.filter((e) => e.event === 'incident.updated').length <= 1, `the same news once: ${JSON.stringify(got)}`);
  });
});

describe('three gateways whose Redis is killed, one provider outage', { skip: !haveRedisServer() && !process.env.CI ? 'redis-server is not installed' : false }, () => {
  let redis: OwnRedis | undefined;
  let fleet: Fleet | undefined;
  after(async () => {
    await fleet?.close();
    if (redis) await stopRedis(redis);
  });

  it('each instance still alerts (one open and one resolve each, under its own id) and warns once that it alerts alone', async () => {
    const port = await freePort();
    redis = await startRedis(port);
    fleet = await startFleet(3, `redis://127.0.0.1:${port}`, uniqueName('prefix'));
    const f = fleet;
    await stopRedis(redis);
    await traffic(f, 70, false, (i) => 2 * i);
    const ids = openIds(f);
    await settle('three opens are delivered', () => f.receiver.received.length >= 3);
    assert.deepEqual(events(f.receiver).map((e) => `${e.event} ${e.id}`).sort(), ids.map((id) => `incident.opened ${id}`).sort());
    const warnings = f.logs.filter((l) => l.includes('"level":40') && l.includes('this instance delivers its alerts alone'));
    assert.equal(warnings.length, 3, 'one warning per instance, not one per alert');

    await traffic(f, 9 * 60, true);
    await settle('three resolves are delivered', () => f.receiver.received.filter((x) => (x.json as { event: string }).event === 'incident.resolved').length >= 3);
    assert.deepEqual(
      events(f.receiver).filter((e) => e.event === 'incident.resolved').map((e) => e.id).sort(),
      [...ids].sort(),
      'every incident a receiver was told of is resolved',
    );
  });
});
