/**
 * The one contract every HealthStore adapter must pass (DESIGN.md principle 8;
 * model: undici's cache-store-test-utils). Adapter test files call
 * healthStoreContract(name, factory); the factory returns a fresh, empty store.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Incident } from '../health/types.js';
import type { HealthStore } from './health-store.js';
import { emptyBucket, type MetricsBucket } from './metrics-store.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 5, 4, 6, 49); // 2024-06-04 06:49 UTC, the first ChatGPT outage of that day

/** A bucket; `ttft` gives counts by histogram bucket index (a store keeps and adds histograms, it never reads latencies). */
function sample(component: string, at: number, init: Partial<MetricsBucket> & { ttft?: Record<number, number> } = {}): MetricsBucket {
  const b = emptyBucket(component, at);
  Object.assign(b, { ...init, ttft: undefined });
  b.ttftHist = emptyBucket(component, at).ttftHist;
  for (const [i, n] of Object.entries(init.ttft ?? {})) b.ttftHist[Number(i)]! += n;
  delete (b as { ttft?: unknown }).ttft;
  return b;
}

function incident(id: string, startedAt: number, resolvedAt?: number): Incident {
  return {
    id,
    source: 'switchyard',
    title: `Errors on openai/gpt-4o (${id})`,
    components: ['openai/gpt-4o'],
    provider: 'openai',
    status: resolvedAt === undefined ? 'investigating' : 'resolved',
    impact: 'major_outage',
    startedAt,
    ...(resolvedAt !== undefined ? { resolvedAt } : {}),
    peakErrorRate: 0.75,
    updates: [{ at: startedAt, status: 'investigating', state: 'major_outage', message: '75% of requests failed' }],
  };
}

export function healthStoreContract(name: string, open: () => Promise<HealthStore>): void {
  const withStore = (fn: (s: HealthStore) => Promise<void>) => async () => {
    const s = await open();
    try {
      await fn(s);
    } finally {
      await s.close();
    }
  };

  describe(`HealthStore contract: ${name}`, () => {
    it('adds into the same minute instead of overwriting (flushes are partial)', withStore(async (s) => {
      await s.metrics.add([sample('openai/gpt-4o', T0 + 1_000, { requests: 3, errors: 1, errorsByKind: { transient: 1 }, ttft: { 2: 1 } })]);
      await s.metrics.add([sample('openai/gpt-4o', T0 + 59_000, { requests: 2, errors: 2, errorsByKind: { transient: 1, timeout: 1 }, ttft: { 8: 1 } })]);
      const rows = await s.metrics.read({ resolution: 'minute', from: T0 - DAY, to: T0 + DAY });
      assert.equal(rows.length, 1);
      const r = rows[0]!;
      assert.equal(r.component, 'openai/gpt-4o');
      assert.equal(r.start, T0);
      assert.equal(r.requests, 5);
      assert.equal(r.errors, 3);
      assert.deepEqual(r.errorsByKind, { transient: 2, timeout: 1 });
      assert.equal(r.ttftHist.reduce((a, b) => a + b, 0), 2);
    }));

    it('rolls minutes up into quarter, hour and day buckets, histograms added bucket by bucket', withStore(async (s) => {
      // 90 fast answers (bucket 3) and 10 slow ones (bucket 13) in the first minute, 1 more of each later.
      const batch: MetricsBucket[] = [];
      for (let m = 0; m < 120; m++) {
        batch.push(sample('anthropic/claude', T0 + m * 60_000, { requests: 10, errors: m % 2, stateMinutes: m < 100 ? [1, 0, 0, 0] : [0, 0, 0, 1], ttft: m === 0 ? { 3: 90, 13: 10 } : m === 61 ? { 3: 1, 13: 1 } : {} }));
      }
      await s.metrics.add(batch);
      const day = await s.metrics.read({ resolution: 'day', from: T0 - DAY, to: T0 + DAY });
      assert.equal(day.length, 1);
      assert.equal(day[0]!.start, Date.UTC(2024, 5, 4));
      assert.equal(day[0]!.requests, 1200);
      assert.equal(day[0]!.errors, 60);
      assert.deepEqual(day[0]!.stateMinutes, [100, 0, 0, 20]);
      const hist = new Array<number>(day[0]!.ttftHist.length).fill(0);
      hist[3] = 91;
      hist[13] = 11;
      assert.deepEqual(day[0]!.ttftHist, hist);

      const hours = await s.metrics.read({ resolution: 'hour', from: T0 - DAY, to: T0 + DAY });
      assert.deepEqual(hours.map((h) => h.start), [Date.UTC(2024, 5, 4, 6), Date.UTC(2024, 5, 4, 7), Date.UTC(2024, 5, 4, 8)]);
      assert.equal(hours.reduce((a, h) => a + h.requests, 0), 1200);
      const quarters = await s.metrics.read({ resolution: 'quarter', from: T0 - DAY, to: T0 + DAY });
      assert.equal(quarters[0]!.start, Date.UTC(2024, 5, 4, 6, 45));
      assert.equal(quarters[0]!.requests, 110); // 06:49..06:59, 11 minutes
      assert.equal(quarters.reduce((a, h) => a + h.requests, 0), 1200);
    }));

    it('reads a range [from, to) per component, ordered by component then time', withStore(async (s) => {
      await s.metrics.add([
        sample('b/m', T0 + 120_000, { requests: 1 }),
        sample('a/m', T0 + 60_000, { requests: 2 }),
        sample('a/m', T0, { requests: 3 }),
        sample('b/m', T0, { requests: 4 }),
      ]);
      const all = await s.metrics.read({ resolution: 'minute', from: T0, to: T0 + 120_000 });
      assert.deepEqual(all.map((r) => [r.component, r.start - T0, r.requests]), [['a/m', 0, 3], ['a/m', 60_000, 2], ['b/m', 0, 4]]);
      const one = await s.metrics.read({ resolution: 'minute', from: T0, to: T0 + 1e9, components: ['b/m', 'missing/x'] });
      assert.deepEqual(one.map((r) => r.requests), [4, 1]);
      assert.deepEqual(await s.metrics.components(), ['a/m', 'b/m']);
    }));

    it('prunes everything older than the retention cut at every resolution', withStore(async (s) => {
      const old = T0 - 91 * DAY;
      await s.metrics.add([sample('openai/gpt-4o', old, { requests: 7 }), sample('openai/gpt-4o', T0, { requests: 1 })]);
      await s.metrics.prune(T0 - 90 * DAY);
      for (const resolution of ['minute', 'quarter', 'hour', 'day'] as const) {
        const rows = await s.metrics.read({ resolution, from: 0, to: T0 + DAY });
        assert.deepEqual(rows.map((r) => r.requests), [1], resolution);
      }
    }));

    it('stores incidents: upsert replaces, open ones list first, then newest first', withStore(async (s) => {
      await s.incidents.upsert(incident('inc_old', T0 - 3 * DAY, T0 - 3 * DAY + 3_600_000));
      await s.incidents.upsert(incident('inc_new', T0 - DAY, T0 - DAY + 60_000));
      await s.incidents.upsert(incident('inc_open', T0 - 2 * DAY));
      assert.deepEqual((await s.incidents.list(10)).map((i) => i.id), ['inc_open', 'inc_new', 'inc_old']);
      assert.deepEqual((await s.incidents.list(2)).map((i) => i.id), ['inc_open', 'inc_new']);
      assert.deepEqual((await s.incidents.listOpen()).map((i) => i.id), ['inc_open']);

      const resolved = incident('inc_open', T0 - 2 * DAY, T0);
      resolved.updates.push({ at: T0, status: 'resolved', state: 'operational', message: 'recovered' });
      await s.incidents.upsert(resolved);
      assert.deepEqual(await s.incidents.get('inc_open'), resolved);
      assert.deepEqual(await s.incidents.listOpen(), []);
      assert.equal(await s.incidents.get('nope'), undefined);

      await s.incidents.prune(T0 - 2 * DAY);
      assert.deepEqual((await s.incidents.list(10)).map((i) => i.id), ['inc_new', 'inc_open']);
    }));

    it('returns copies: mutating a result does not change the store', withStore(async (s) => {
      await s.metrics.add([sample('a/m', T0, { requests: 1 })]);
      const [r] = await s.metrics.read({ resolution: 'minute', from: T0, to: T0 + 60_000 });
      r!.requests = 99;
      const [again] = await s.metrics.read({ resolution: 'minute', from: T0, to: T0 + 60_000 });
      assert.equal(again!.requests, 1);
    }));
  });
}
