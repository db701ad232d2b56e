/**
 * 24 h of time to first token for one component, p50 and p95 as two lines.
 * TTFT is what a streaming user feels; a climbing p95 is often the first sign
 * of an overloaded upstream, before errors start (DESIGN.md, 2024-06-04).
 * Intervals without successful requests are gaps, not zeros.
 */
import type { LatencyPoint } from '../../health/types.js';
import { axes, chartBox, emptyChart, niceMax, timeScale, yOf } from './chart-frame.js';
import { downsampleLatency, groupSize } from './downsample.js';
import { formatClock, formatMs, n1 } from './format.js';

type Key = 'p50' | 'p95';

/** One <path> per series; a null value ends the current segment. */
function seriesPath(points: LatencyPoint[], key: Key, x: (at: number) => number, max: number, half: number): string {
  let d = '';
  let open = false;
  for (const p of points) {
    const v = p[key];
    if (v === null || !Number.isFinite(v)) {
      open = false;
      continue;
    }
    d += `${open ? 'L' : 'M'}${n1(x(p.at) + half)} ${n1(yOf(Math.min(v, max), max))}`;
    open = true;
  }
  return d;
}

export function renderLatencyChart(name: string, raw: LatencyPoint[], rawIntervalMs: number): string {
  const k = groupSize(raw.length);
  const points = downsampleLatency(raw, k);
  const intervalMs = rawIntervalMs * k;
  const measured = points.filter((p) => p.p50 !== null || p.p95 !== null);
  if (measured.length === 0) return emptyChart('latency', `Time to first token for ${name}, last 24 hours: no successful requests observed.`);

  let peak = measured[0]!;
  for (const p of measured) if ((p.p95 ?? p.p50 ?? 0) > (peak.p95 ?? peak.p50 ?? 0)) peak = p;
  const peakMs = peak.p95 ?? peak.p50 ?? 0;
  const last = measured[measured.length - 1]!;

  const scale = timeScale(points[0]!.at, points[points.length - 1]!.at + intervalMs);
  const max = niceMax(peakMs, 100);
  // Plot each value mid-interval so lines and the error bars above line up.
  const half = (scale.x(points[0]!.at + intervalMs) - scale.x(points[0]!.at)) / 2;
  const dots = measured.length === 1; // a lone point draws no line: mark it
  const p95 = seriesPath(points, 'p95', scale.x, max, half);
  const p50 = seriesPath(points, 'p50', scale.x, max, half);
  const mark = (key: Key) => {
    const v = last[key];
    // A zero-length segment with round caps draws a dot that the stretched viewBox cannot squash.
    return dots && v !== null ? `<path class="${key} dot" d="M${n1(scale.x(last.at) + half)} ${n1(yOf(v, max))}h0.01"/>` : '';
  };

  const now = [last.p50 !== null ? `median ${formatMs(last.p50)}` : '', last.p95 !== null ? `p95 ${formatMs(last.p95)}` : ''].filter(Boolean).join(', ');
  const label =
    `Time to first token for ${name}, last 24 hours: latest ${now} at ${formatClock(last.at)} UTC; ` +
    `highest ${peak.p95 !== null ? 'p95' : 'median'} ${formatMs(peakMs)} at ${formatClock(peak.at)} UTC.`;
  return chartBox('latency', label, axes(scale, max, formatMs), (p95 ? `<path class="p95" d="${p95}"/>` : '') + (p50 ? `<path class="p50" d="${p50}"/>` : '') + mark('p95') + mark('p50'));
}
