/**
 * Per-component health metrics in time buckets (issue 5, DESIGN.md `storage/`).
 *
 * Every bucket is a sum of counters, so buckets merge by addition: a late write
 * for a minute adds to it, and hour/day rollups are the same sums at a coarser
 * resolution. TTFT is kept as a histogram with fixed bounds (not as stored
 * percentiles) because percentiles cannot be averaged, while histograms add —
 * p95 of a day is computed from the day's summed histogram.
 */

export type Resolution = 'minute' | 'quarter' | 'hour' | 'day';

export const RESOLUTION_MS: Readonly<Record<Resolution, number>> = {
  minute: 60_000,
  quarter: 15 * 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

export const RESOLUTIONS: readonly Resolution[] = ['minute', 'quarter', 'hour', 'day'];

/**
 * Upper bounds (ms) of the TTFT histogram buckets, roughly log-spaced (x1.3–2)
 * from 50 ms to 2 min; one more bucket catches everything slower. Changing
 * them invalidates stored data, so they are part of the schema.
 */
export const TTFT_BOUNDS_MS: readonly number[] = [
  50, 100, 150, 200, 300, 400, 600, 800, 1_000, 1_500, 2_000, 3_000, 4_000, 6_000, 8_000, 12_000, 20_000, 30_000, 60_000, 120_000,
];
export const TTFT_BUCKETS = TTFT_BOUNDS_MS.length + 1;

/** Index in ComponentState order: operational, degraded_performance, partial_outage, major_outage. */
export type StateMinutes = [number, number, number, number];

export interface MetricsBucket {
  /** `provider/model` */
  component: string;
  /** Start of the bucket, epoch ms, aligned to its resolution (UTC). */
  start: number;
  /** Client traffic attempts (probes excluded) and how many failed. */
  requests: number;
  errors: number;
  /** Active probes and how many failed, kept apart so their cost is visible. */
  probes: number;
  probeErrors: number;
  /** Failures (traffic and probes) by ErrorKind. */
  errorsByKind: Record<string, number>;
  /** TTFT counts per TTFT_BOUNDS_MS bucket (length TTFT_BUCKETS). */
  ttftHist: number[];
  /** Observed minutes per state; a closed minute has exactly one. */
  stateMinutes: StateMinutes;
}

export interface MetricsQuery {
  resolution: Resolution;
  /** Inclusive start, epoch ms. */
  from: number;
  /** Exclusive end, epoch ms. */
  to: number;
  /** Only these components; all when omitted. */
  components?: readonly string[];
}

export interface MetricsStore {
  /**
   * Add counters into their buckets at every resolution (minute, quarter,
   * hour, day): rollups happen at write time, so reads of any range are a
   * handful of rows. `start` may be any time inside the minute.
   */
  add(buckets: readonly MetricsBucket[]): Promise<void>;
  /** Buckets with start in [from, to), ordered by component then start. */
  read(query: MetricsQuery): Promise<MetricsBucket[]>;
  /** Drop buckets that start before `before` (all resolutions). */
  prune(before: number): Promise<void>;
  /** Every component that has stored buckets. */
  components(): Promise<string[]>;
}

export function emptyBucket(component: string, start: number): MetricsBucket {
  return { component, start, requests: 0, errors: 0, probes: 0, probeErrors: 0, errorsByKind: {}, ttftHist: new Array<number>(TTFT_BUCKETS).fill(0), stateMinutes: [0, 0, 0, 0] };
}

export function alignTo(resolution: Resolution, at: number): number {
  const ms = RESOLUTION_MS[resolution];
  return Math.floor(at / ms) * ms;
}

/** Adds `src` into `dst` (counters only; component and start are the caller's). */
export function mergeInto(dst: MetricsBucket, src: MetricsBucket): MetricsBucket {
  dst.requests += src.requests;
  dst.errors += src.errors;
  dst.probes += src.probes;
  dst.probeErrors += src.probeErrors;
  for (const [k, v] of Object.entries(src.errorsByKind)) dst.errorsByKind[k] = (dst.errorsByKind[k] ?? 0) + v;
  for (let i = 0; i < TTFT_BUCKETS; i++) dst.ttftHist[i] = (dst.ttftHist[i] ?? 0) + (src.ttftHist[i] ?? 0);
  for (let i = 0; i < 4; i++) dst.stateMinutes[i] = dst.stateMinutes[i]! + src.stateMinutes[i]!;
  return dst;
}
