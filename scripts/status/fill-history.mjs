/**
 * Synthetic health history for measurements: `days` of per-minute buckets per
 * component, shaped like real traffic (a daily traffic curve, ~1% errors, a
 * two-hour outage every ~10 days, TTFT spread over 3–5 histogram buckets).
 * Deterministic (seeded), so figures are comparable between runs.
 */
import { emptyBucket, ttftBucketIndex } from '../../src/storage/metrics-store.ts';

const MIN = 60_000;
const DAY = 86_400_000;

export async function fillHistory(store, { components, days, now, perMinute = 20 }) {
  let seed = 42;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const start = Math.floor(now / DAY) * DAY - (days - 1) * DAY;
  const end = Math.floor(now / MIN) * MIN;
  for (const [ci, component] of components.entries()) {
    for (let d = start; d < end; d += DAY) {
      const batch = [];
      const outageDay = (Math.floor(d / DAY) + ci) % 10 === 0;
      for (let m = d; m < Math.min(d + DAY, end); m += MIN) {
        const hour = new Date(m).getUTCHours();
        const b = emptyBucket(component, m);
        const down = outageDay && hour >= 14 && hour < 16;
        b.requests = Math.round(perMinute * (0.4 + 0.6 * Math.sin((Math.PI * hour) / 24)) * (0.8 + 0.4 * rand()));
        b.errors = down ? Math.round(b.requests * 0.8) : rand() < 0.2 ? 1 : 0;
        if (b.errors > 0) b.errorsByKind[down ? 'overloaded' : 'transient'] = b.errors;
        for (let i = 0; i < b.requests - b.errors; i++) b.ttftHist[ttftBucketIndex(200 + rand() * rand() * 1_500)]++;
        b.stateMinutes[down ? 3 : 0] = 1;
        batch.push(b);
      }
      await store.metrics.add(batch);
    }
  }
}
