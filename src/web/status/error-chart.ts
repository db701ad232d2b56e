/**
 * 24 h of error reports for one component: a bar per interval with errors,
 * like Downdetector's report chart people watched on 2024-06-04, but counted
 * from real traffic instead of user complaints.
 */
import type { ErrorPoint } from '../../health/types.js';
import { axes, chartBox, emptyChart, H, niceMax, timeScale, W, yOf } from './chart-frame.js';
import { downsampleErrors, groupSize } from './downsample.js';
import { formatClock, formatCount, formatPct, n1 } from './format.js';

export function renderErrorChart(name: string, raw: ErrorPoint[], rawIntervalMs: number): string {
  let total = 0;
  let errors = 0;
  for (const p of raw) {
    total += p.requests;
    errors += p.errors;
  }
  if (raw.length === 0 || total === 0) return emptyChart('errors', `Errors for ${name}, last 24 hours: no requests observed.`);

  const k = groupSize(raw.length);
  const points = downsampleErrors(raw, k);
  const intervalMs = rawIntervalMs * k;
  let peak = points[0]!;
  for (const p of points) if (p.errors > peak.errors) peak = p;

  const scale = timeScale(points[0]!.at, points[points.length - 1]!.at + intervalMs);
  const max = niceMax(peak.errors);
  const width = n1((W / points.length) * 0.8);
  let bars = '';
  for (const p of points) {
    if (p.errors <= 0) continue;
    const y = yOf(p.errors, max);
    bars +=
      `<rect class="err" x="${n1(scale.x(p.at))}" y="${n1(y)}" width="${width}" height="${n1(H - y)}">` +
      `<title>${formatClock(p.at)}–${formatClock(p.at + intervalMs)} UTC: ${formatCount(p.errors)} errors of ${formatCount(p.requests)} requests</title></rect>`;
  }

  const label =
    errors === 0
      ? `Errors for ${name}, last 24 hours: none in ${formatCount(total)} requests.`
      : `Errors for ${name}, last 24 hours: ${formatCount(errors)} errors in ${formatCount(total)} requests (${formatPct((errors / total) * 100)}). ` +
        `Peak ${formatCount(peak.errors)} errors at ${formatClock(peak.at)} UTC.`;
  return chartBox('errors', label, axes(scale, max, undefined, true), bars);
}
