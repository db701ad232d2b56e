/**
 * Drills end to end, through a real gateway on real sockets, at high compression so the suite
 * stays quick (the built-ins at their own speed: scripts/drill-builtins.mjs): a replay is
 * repeatable for a seed; 2024-06-04 with three providers is survived without pushing an
 * alternative past its capacity; with one provider the outage shows as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GatewayConfig } from '../config/types.js';
import { buildReport } from './build-report.js';
import { defaultDrillConfig } from './default-config.js';
import { loadScenario } from './load-scenario.js';
import { parseScenario } from './parse-scenario.js';
import { runDrill } from './run-drill.js';

const SHORT = `
name: short
title: A short partial outage with cut streams
seed: 7
start: 2025-01-01T10:00:00Z
duration: 20m
load: { rate_per_min: 20, stream: 0.7, formats: { openai-chat: 2, anthropic-messages: 1 }, answer_words: [10, 20] }
phases:
  - { name: calm, at: "10:00" }
  - { name: trouble, at: "10:05" }
  - { name: after, at: "10:15" }
providers:
  - match: primary
    phases:
      trouble: { fail: 0.4, faults: [{ status: 503, share: 2 }, { cut_after: 3 }] }
`;

function onlyFirstProvider(c: GatewayConfig): GatewayConfig {
  return { ...c, source: 'one provider', providers: c.providers.slice(0, 1), models: c.models.map((m) => ({ ...m, targets: m.targets.slice(0, 1) })) };
}

test('the same seed gives the same counts: traffic, successes and the SDKs’ retries; the gateway’s own retries within a few', async () => {
  const scenario = parseScenario(SHORT, 'short.yaml');
  const runs = [];
  for (let i = 0; i < 2; i++) runs.push(buildReport(await runDrill({ scenario, config: defaultDrillConfig(), speed: 400 })));
  const [a, b] = runs as [ReturnType<typeof buildReport>, ReturnType<typeof buildReport>];
  const counts = (r: typeof a) => r.phases.map((p) => ({ phase: p.name, requests: p.gateway.requests, ok: p.gateway.ok, baselineOk: p.baseline!.ok, baselineAttempts: p.baseline!.attemptsPerRequest }));
  assert.deepEqual(counts(a), counts(b));
  // The outage is there: the application alone loses requests, the gateway does not.
  const trouble = a.phases[1]!;
  assert.ok(trouble.baseline!.successRate < 0.95, `without the gateway: ${trouble.baseline!.successRate}`);
  assert.equal(trouble.gateway.successRate, 1);
  assert.ok(trouble.gateway.resumed > 0, 'cut streams were resumed on another provider');
  // Which attempts the gateway makes depends on its breaker's timing: close, not equal.
  for (const [k, p] of a.phases.entries()) assert.ok(Math.abs(p.gateway.attemptsPerRequest - b.phases[k]!.gateway.attemptsPerRequest) <= 0.05, `${p.name}: ${p.gateway.attemptsPerRequest} vs ${b.phases[k]!.gateway.attemptsPerRequest}`);
});

test('2024-06-04 with three providers: at least 99.9% succeed and no alternative is pushed past its capacity', async () => {
  const scenario = loadScenario('2024-06-04-domino', process.cwd());
  const r = buildReport(await runDrill({ scenario, config: defaultDrillConfig(), speed: 6000, rateFactor: 0.36, baseline: false }));
  assert.ok(r.overall.gateway.requests > 1000, `requests: ${r.overall.gateway.requests}`);
  assert.ok(r.overall.gateway.successRate >= 0.999, `success ${r.overall.gateway.successRate}: ${JSON.stringify(r.overall.gateway.failures)}`);
  for (const p of r.phases) {
    for (const x of p.providers) {
      if (x.capacity === undefined) continue;
      assert.ok(x.peakLoad <= x.capacity, `${p.name}: ${x.provider} at ${x.peakLoad} of ${x.capacity}`);
      assert.equal(x.overCapacity, 0, `${p.name}: ${x.provider} answered over capacity`);
    }
  }
  // The traffic that fled OpenAI went to the alternatives and came close to their capacity.
  const wave = r.phases.find((p) => p.name === 'first wave')!;
  assert.ok(wave.providers.find((x) => x.provider === 'anthropic')!.peakLoad > 50);
  assert.ok(wave.gateway.failovers > 0);
  assert.equal(r.incidents.filter((i) => i.provider === 'openai').length, 2, 'an incident per wave');
});

test('2024-06-04 with one provider: the report shows the outage as it was', async () => {
  const scenario = loadScenario('2024-06-04-domino', process.cwd());
  const r = buildReport(await runDrill({ scenario, config: onlyFirstProvider(defaultDrillConfig()), speed: 6000, rateFactor: 0.36, baseline: false }));
  const rate = (name: string) => r.phases.find((p) => p.name === name)!.gateway.successRate;
  assert.ok(rate('first wave') < 0.05 && rate('second wave') < 0.05, `waves: ${rate('first wave')}, ${rate('second wave')}`);
  assert.equal(rate('before'), 1);
  assert.ok(r.overall.gateway.successRate < 0.5, `overall ${r.overall.gateway.successRate}`);
  assert.ok(r.overall.gateway.failures.length > 0);
  const incidents = r.incidents.filter((i) => i.provider === 'openai');
  assert.equal(incidents.length, 2);
  for (const i of incidents) assert.ok(i.detectionDelayMs !== undefined && i.detectionDelayMs < 15 * 60_000, `detected after ${i.detectionDelayMs} ms`);
});
