/**
 * `switchyard demo` with its background traffic and recurring outage, end to
 * end: simulators, gateway, health tracking and the Statuspage v2 JSON. The
 * whole demo runs on one clock 60x faster than the wall clock (scaledClock),
 * so the health policy's minute-long window and holds, and the outage cycle,
 * take a second or two; every timing keeps its ratio to the others, which is
 * what the newcomer's experience depends on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scaledClock } from '../sim/scaled-clock.js';
import { runDemo } from './demo.js';
import { testIo, type TestIo } from './test-io.js';

const SPEED = 60;

interface Summary {
  status: { indicator: string };
  components: { id: string; name: string; status: string; group: boolean }[];
  incidents: { name: string; status: string; components: { id: string }[] }[];
}

async function waitFor<T>(what: string, io: TestIo, fn: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; output:\n${io.out()}${io.err()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('demo: the recurring outage on the simulated OpenAI shows on the status page, traffic keeps being answered', async () => {
  const io = testIo();
  // Demo-time: outage from 0:05 to 1:35, next one 10 min later; a request every second.
  const exit = runDemo(['--port', '0'], io, { clock: scaledClock(SPEED), outage: { firstAtMs: 5_000, outageMs: 90_000, periodMs: 600_000 }, trafficIntervalMs: 1_000 });
  const url = await waitFor('the gateway URL', io, () => /^Gateway: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(io.out())?.[1]);
  let stopped = false;
  try {
    // The newcomer is told where to look and what will happen.
    await waitFor('the status text', io, () => (io.out().includes('Press Ctrl-C to stop.') ? true : undefined));
    assert.match(io.out(), new RegExp(`Status page: ${url}/status`));
    assert.match(io.out(), /simulated OpenAI fails from 0:05 to 1:35 after start, then again every 10 min/);
    assert.match(io.out(), /Within a minute sim-openai turns red/);

    const summary = async () => (await (await fetch(`${url}/status/api/v2/summary.json`)).json()) as Summary;
    const before = await summary();
    assert.equal(before.components.find((c) => c.id === 'sim-openai')?.status, 'operational');

    const openaiSim = /simulated OpenAI +(http:\/\/127\.0\.0\.1:\d+)\/v1/.exec(io.out())?.[1];
    assert.ok(openaiSim);
    const simStats = async () => (await (await fetch(`${openaiSim}/_sim/stats`)).json()) as { requests: number; byStatus: Record<string, number>; faults: unknown[] };
    await waitFor('the outage to begin', io, () => (/outage #1 begins/.test(io.out()) ? true : undefined));
    await waitFor('the outage to end', io, () => (/outage #1 is over; the next one begins in 8\.5 min/.test(io.out()) ? true : undefined));

    // Right after the outage window: the provider is not operational and an incident about it is open.
    const after = await summary();
    const group = after.components.find((c) => c.group && c.id === 'sim-openai');
    assert.ok(group, JSON.stringify(after.components));
    assert.notEqual(group.status, 'operational');
    assert.notEqual(after.status.indicator, 'none');
    const incident = after.incidents.find((i) => i.components.some((c) => c.id.startsWith('sim-openai/')));
    assert.ok(incident, `no incident for sim-openai: ${JSON.stringify(after.incidents)}`);
    assert.notEqual(incident.status, 'resolved');
    // Only the simulated OpenAI had an outage: the providers traffic moved to stayed healthy.
    for (const other of ['sim-anthropic', 'sim-gemini']) assert.equal(after.components.find((c) => c.id === other)?.status, 'operational', other);

    // The background traffic met the outage, and the outage is lifted from the simulator.
    const stats = await simStats();
    assert.ok((stats.byStatus['503'] ?? 0) > 0, JSON.stringify(stats));
    assert.deepEqual(stats.faults, []);

    io.stop('SIGINT');
    stopped = true;
    assert.equal(await exit, 0);
    await assert.rejects(fetch(`${url}/healthz`));
  } finally {
    // A failed assertion must not leave the demo running until the file's timeout.
    if (!stopped) {
      io.stop('SIGINT');
      await exit;
    }
  }
});

test('demo --no-traffic --no-outage: the simulators get no background requests and no faults', async () => {
  const io = testIo();
  // Were traffic or outage on, a 10 ms interval and an outage from 0:00 would show within the wait below.
  const exit = runDemo(['--port', '0', '--no-traffic', '--no-outage'], io, { trafficIntervalMs: 10, outage: { firstAtMs: 0, outageMs: 1_000, periodMs: 2_000 } });
  await waitFor('the status text', io, () => (io.out().includes('Press Ctrl-C to stop.') ? true : undefined));
  assert.doesNotMatch(io.out(), /Background traffic|Simulated outage/);
  assert.match(io.out(), /Status page: http:\/\/127\.0\.0\.1:\d+\/status/);
  await new Promise((r) => setTimeout(r, 100));
  for (const m of io.out().matchAll(/simulated \w+ +(http:\/\/127\.0\.0\.1:\d+)/g)) {
    const stats = (await (await fetch(`${m[1]}/_sim/stats`)).json()) as { requests: number; faults: unknown[] };
    assert.equal(stats.requests, 0, m[0]);
    assert.deepEqual(stats.faults, [], m[0]);
  }
  io.stop('SIGINT');
  assert.equal(await exit, 0);
});
