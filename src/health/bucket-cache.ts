/**
 * Keeps the buckets the status snapshot reads (90 day rows and 96 quarter-hour
 * rows per component) in memory and re-reads only the recent tail on each
 * snapshot: older buckets no longer change. Without it every page view would
 * decode ~4k rows (issue 5 budget: <= 50 ms p99 with 90 days x 20 components).
 *
 * Outcomes are bucketed by when the attempt started, so a long stream can
 * land in a bucket up to its duration in the past: the tail re-read covers
 * `tailMs`, and a full reload every `fullReloadMs` heals anything older.
 */
import { type MetricsBucket, type MetricsQuery, type MetricsStore } from '../storage/metrics-store.js';
import { groupByComponent } from './metrics-math.js';

export class BucketCache {
  private rows = new Map<string, MetricsBucket[]>();
  private key = '';
  private loadedFrom = Infinity;
  private loadedAt = -Infinity;

  constructor(
    private readonly store: MetricsStore,
    private readonly tailMs: number,
    private readonly fullReloadMs = 10 * 60_000,
  ) {}

  async read(q: MetricsQuery & { components: readonly string[] }, now: number): Promise<MetricsBucket[]> {
    const key = `${q.resolution}|${q.components.join('\n')}`;
    if (key !== this.key || q.from < this.loadedFrom || now - this.loadedAt >= this.fullReloadMs) {
      const all = await this.store.read(q);
      this.rows = groupByComponent(all);
      this.key = key;
      this.loadedFrom = q.from;
      this.loadedAt = now;
      return all;
    }
    const tailFrom = Math.max(q.from, q.to - this.tailMs);
    const tail = groupByComponent(await this.store.read({ ...q, from: tailFrom }));
    const out: MetricsBucket[] = [];
    for (const c of [...q.components].sort()) {
      const kept = (this.rows.get(c) ?? []).filter((b) => b.start >= q.from && b.start < tailFrom);
      const merged = kept.concat(tail.get(c) ?? []);
      this.rows.set(c, merged);
      for (const b of merged) out.push(b);
    }
    return out;
  }
}
