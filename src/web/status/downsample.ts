/**
 * Caps how many intervals a 24 h chart draws, whatever interval the producer
 * chose (one-minute points would be 1,440 marks per chart, 20 charts a page):
 * neighbouring intervals are merged so page size and render time stay bounded.
 * Merging keeps the worst: errors and requests add up, latency takes the
 * highest percentile in the group — a chart must never smooth an outage away.
 */
import type { ErrorPoint, LatencyPoint, TrafficPoint } from '../../health/types.js';

export const MAX_POINTS = 144;

/** How many source intervals go into one drawn interval. */
export function groupSize(n: number, max = MAX_POINTS): number {
  return n <= max ? 1 : Math.ceil(n / max);
}

function merge<P extends { at: number }, R>(points: P[], k: number, combine: (group: P[]) => R): R[] {
  const out: R[] = [];
  for (let i = 0; i < points.length; i += k) out.push(combine(points.slice(i, i + k)));
  return out;
}

const maxOrNull = (vs: (number | null)[]): number | null => {
  let m: number | null = null;
  for (const v of vs) if (v !== null && (m === null || v > m)) m = v;
  return m;
};

export function downsampleErrors(points: ErrorPoint[], k: number): ErrorPoint[] {
  if (k <= 1) return points;
  return merge(points, k, (g) => ({ at: g[0]!.at, requests: g.reduce((n, p) => n + p.requests, 0), errors: g.reduce((n, p) => n + p.errors, 0) }));
}

export function downsampleLatency(points: LatencyPoint[], k: number): LatencyPoint[] {
  if (k <= 1) return points;
  return merge(points, k, (g) => ({ at: g[0]!.at, p50: maxOrNull(g.map((p) => p.p50)), p95: maxOrNull(g.map((p) => p.p95)) }));
}

export function downsampleTraffic(points: TrafficPoint[], k: number): TrafficPoint[] {
  if (k <= 1) return points;
  return merge(points, k, (g) => {
    const byProvider: Record<string, number> = {};
    for (const p of g) for (const [name, n] of Object.entries(p.byProvider)) byProvider[name] = (byProvider[name] ?? 0) + n;
    return { at: g[0]!.at, byProvider };
  });
}
