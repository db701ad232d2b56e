/**
 * The arithmetic of health metrics over stored buckets: which TTFT bucket a latency falls in,
 * percentiles from a histogram, state indexes, grouping. Storage keeps the sums; health reads them.
 */
import type { ComponentState } from '../storage/incident-store.js';
import { TTFT_BOUNDS_MS, type MetricsBucket } from '../storage/metrics-store.js';

export function ttftBucketIndex(ms: number): number {
  for (let i = 0; i < TTFT_BOUNDS_MS.length; i++) if (ms <= TTFT_BOUNDS_MS[i]!) return i;
  return TTFT_BOUNDS_MS.length;
}

/**
 * Percentile (0..1) from a histogram, interpolating linearly inside the bucket
 * that holds the rank; the overflow bucket reports its lower bound. Null when empty.
 */
export function histPercentile(hist: readonly number[], p: number): number | null {
  let total = 0;
  for (const c of hist) total += c;
  if (total === 0) return null;
  const rank = p * total;
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    const c = hist[i]!;
    if (c === 0) continue;
    if (seen + c >= rank) {
      const lo = i === 0 ? 0 : TTFT_BOUNDS_MS[i - 1]!;
      const hi = TTFT_BOUNDS_MS[i];
      if (hi === undefined) return lo;
      return Math.round(lo + ((hi - lo) * Math.max(0, rank - seen)) / c);
    }
    seen += c;
  }
  return TTFT_BOUNDS_MS[TTFT_BOUNDS_MS.length - 1]!;
}

export const STATE_INDEX: Readonly<Record<ComponentState, number>> = {
  operational: 0,
  degraded_performance: 1,
  partial_outage: 2,
  major_outage: 3,
};

/** Buckets by component, in the order they came. */
export function groupByComponent(rows: MetricsBucket[]): Map<string, MetricsBucket[]> {
  const out = new Map<string, MetricsBucket[]>();
  for (const r of rows) {
    let l = out.get(r.component);
    if (!l) out.set(r.component, (l = []));
    l.push(r);
  }
  return out;
}
