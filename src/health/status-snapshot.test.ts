/**
 * The read model the status page and JSON API render: 90 day bars with worst
 * state and uptime, 96 quarter-hour points of errors and latency, traffic
 * share per provider, incidents open first — built from stored buckets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Incident } from './types.js';
import { MemoryHealthStore } from '../storage/memory/memory-health-store.js';
import { emptyBucket, type MetricsBucket } from '../storage/metrics-store.js';
import { ttftBucketIndex } from './metrics-math.js';
import { buildStatusSnapshot } from './status-snapshot.js';

const MIN = 60_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2024, 5, 4, 12, 7); // 2024-06-04 12:07 UTC, between ChatGPT's two failures

function minute(component: string, at: number, init: Partial<MetricsBucket> & { state?: 0 | 1 | 2 | 3; ttft?: number } = {}): MetricsBucket {
  const b = emptyBucket(component, at);
  b.requests = init.requests ?? 0;
  b.errors = init.errors ?? 0;
  b.probes = init.probes ?? 0;
  b.probeErrors = init.probeErrors ?? 0;
  if (init.state !== undefined) b.stateMinutes[init.state] = 1;
  if (init.ttft !== undefined) b.ttftHist[ttftBucketIndex(init.ttft)] = b.requests - b.errors;
  return b;
}

const inc = (id: string, startedAt: number, resolvedAt?: number): Incident => ({
  id,
  source: 'switchyard',
  title: id,
  components: ['openai/gpt-4o'],
  provider: 'openai',
  status: resolvedAt === undefined ? 'investigating' : 'resolved',
  impact: 'major_outage',
  startedAt,
  ...(resolvedAt === undefined ? {} : { resolvedAt }),
  peakErrorRate: 1,
  updates: [],
});

describe('buildStatusSnapshot', () => {
  it('builds day bars, uptime, 24 h series and traffic share from stored buckets', async () => {
    const store = new MemoryHealthStore();
    const batch: MetricsBucket[] = [];
    // Yesterday: 100 operational minutes and 20 minutes of major outage for openai; today 06:49-07:48 down.
    for (let m = 0; m < 120; m++) batch.push(minute('openai/gpt-4o', NOW - DAY + m * MIN, { requests: 10, errors: m >= 100 ? 10 : 0, state: m >= 100 ? 3 : 0, ttft: 300 }));
    for (let m = 0; m < 60; m++) batch.push(minute('openai/gpt-4o', Date.UTC(2024, 5, 4, 6, 49) + m * MIN, { requests: 10, errors: 10, state: 3 }));
    // The flight to Gemini: gemini traffic in the last hour, 30 per minute, slow first tokens.
    for (let m = 0; m < 60; m++) batch.push(minute('gemini/flash', NOW - 60 * MIN + m * MIN, { requests: 30, state: 0, ttft: 2_500 }));
    await store.metrics.add(batch);
    await store.incidents.upsert(inc('inc_old', NOW - 3 * DAY, NOW - 3 * DAY + 10 * MIN));

    const s = await buildStatusSnapshot({
      store,
      now: NOW,
      components: [
        { id: 'openai/gpt-4o', provider: 'openai', model: 'gpt-4o', state: 'partial_outage', since: NOW - 5 * MIN },
        { id: 'gemini/flash', provider: 'gemini', model: 'flash', state: 'operational', since: NOW - DAY },
        { id: 'anthropic/claude', provider: 'anthropic', model: 'claude', state: 'operational', since: NOW },
      ],
      openIncidents: [inc('inc_open', NOW - 5 * MIN)],
    });

    assert.equal(s.overall, 'partial_outage');
    assert.equal(s.intervalMs, 15 * MIN);
    const [openai, gemini, anthropic] = s.components;
    assert.equal(openai!.days.length, 90);
    assert.equal(openai!.days.at(-1)!.day, '2024-06-04');
    assert.equal(openai!.days.at(-2)!.day, '2024-06-03');
    assert.equal(openai!.days[0]!.day, '2024-03-07');
    assert.deepEqual(openai!.days.at(-2), { day: '2024-06-03', worst: 'major_outage', uptimePct: 83.33, requests: 1200, errors: 200 });
    assert.equal(openai!.days.at(-1)!.worst, 'major_outage');
    assert.equal(openai!.days.at(-1)!.uptimePct, 0);
    assert.equal(openai!.days[0]!.worst, 'no_data');
    assert.equal(openai!.uptime90dPct, round2((100 * 100) / 180));
    assert.equal(anthropic!.uptime90dPct, null);
    assert.ok(anthropic!.days.every((d) => d.worst === 'no_data'));

    assert.equal(openai!.errors24h.length, 96);
    assert.equal(openai!.errors24h.at(-1)!.at, Date.UTC(2024, 5, 4, 12, 0));
    // The window starts at yesterday 12:15: yesterday's outage (13:47-14:06) is inside it, as is today's.
    assert.equal(openai!.errors24h[0]!.at, Date.UTC(2024, 5, 3, 12, 15));
    assert.equal(openai!.errors24h.reduce((a, p) => a + p.errors, 0), 200 + 600);
    const g = gemini!.latency24h.filter((p) => p.p50 !== null);
    assert.equal(g.length, 5); // 11:07-12:07 touches 5 quarter hours
    assert.ok(g.every((p) => p.p50! > 2_000 && p.p50! <= 3_000));

    const share = s.traffic24h.reduce<Record<string, number>>((acc, p) => {
      for (const [k, v] of Object.entries(p.byProvider)) acc[k] = (acc[k] ?? 0) + v;
      return acc;
    }, {});
    assert.deepEqual(share, { openai: 1_120 + 600, gemini: 1_800, anthropic: 0 }); // yesterday from 12:15 on, plus today

    assert.deepEqual(s.incidents.map((i) => i.id), ['inc_open', 'inc_old']);
  });

  it('answers for a fresh gateway with only configured components', async () => {
    const s = await buildStatusSnapshot({ store: new MemoryHealthStore(), now: NOW, components: [{ id: 'a/b', provider: 'a', model: 'b', state: 'operational', since: NOW }], openIncidents: [] });
    assert.equal(s.overall, 'operational');
    assert.equal(s.components[0]!.uptime90dPct, null);
    assert.equal(s.traffic24h.length, 96);
    assert.deepEqual(s.incidents, []);
  });
});

function round2(n: number) {
  return Math.round(n * 100) / 100;
}
