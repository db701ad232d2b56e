/**
 * The drill report's charts, in the status page's frame (web/status/chart-frame.ts: marks in
 * a stretched SVG, labels in HTML, role="img" with a text summary): success over time with
 * and without the gateway, time to first token, upstream requests per client request, where
 * the answers came from, and each provider's load against its capacity. Phases are shaded
 * bands with their names, so every chart reads against the scenario's timeline.
 */
import { axes, chartBox, H, niceMax, timeScale, W, yOf, type TimeScale } from '../web/status/chart-frame.js';
import { escapeHtml } from '../web/status/escape.js';
import { formatMs, formatPct, n1 } from '../web/status/format.js';
import type { DrillReport } from './report-types.js';
import { formatAt } from './scenario-time.js';

type Point = { at: number; v: number | null };

/** A readable label step for a span: 15 min up to 90 min, ... 6 h beyond 16 h. */
function stepFor(spanMs: number): number {
  const h = 3_600_000;
  if (spanMs <= 1.5 * h) return h / 4;
  if (spanMs <= 3 * h) return h / 2;
  if (spanMs <= 8 * h) return h;
  return spanMs <= 16 * h ? 2 * h : 6 * h;
}

/** One path through the points, mid-bucket; a null ends a segment. */
function line(points: Point[], scale: TimeScale, max: number, half: number): string {
  let d = '';
  let open = false;
  for (const p of points) {
    if (p.v === null || !Number.isFinite(p.v)) {
      open = false;
      continue;
    }
    d += `${open ? 'L' : 'M'}${n1(scale.x(p.at) + half)} ${n1(yOf(p.v, max))}`;
    open = true;
  }
  return d;
}

function bands(r: DrillReport, scale: TimeScale): string {
  return r.scenario.phases
    .map((p, i) => `<rect class="band b${i % 2}" x="${n1(scale.x(p.start))}" y="0" width="${n1(scale.x(p.end) - scale.x(p.start))}" height="${H}"><title>${escapeHtml(p.name)}</title></rect>`)
    .join('');
}

/** Phase names over the plot, each where its phase begins. */
export function phaseStrip(r: DrillReport): string {
  const scale = timeScale(r.scenario.start, r.scenario.end);
  const spans = r.scenario.phases
    .map((p) => `<span style="left:${n1((scale.x(p.start) / W) * 100)}%;width:${n1(((scale.x(p.end) - scale.x(p.start)) / W) * 100)}%" title="${escapeHtml(p.name)}">${escapeHtml(p.name)}</span>`)
    .join('');
  return `<div class="phase-strip" aria-hidden="true">${spans}</div>`;
}

interface Series {
  cls: string;
  name: string;
  points: Point[];
}

/** Lines over the scenario; each point is drawn mid-way through its `bucketMs` (0: at its own time, for samples). */
function lineChart(r: DrillReport, cls: string, label: string, series: Series[], max: number, yLabel: (v: number) => string, bucketMs = r.series.bucketMs): string {
  const scale = timeScale(r.scenario.start, r.scenario.end);
  const half = (scale.x(r.scenario.start + bucketMs) - scale.x(r.scenario.start)) / 2;
  const marks = series.map((s) => `<path class="${s.cls}" d="${line(s.points, scale, max, half)}"><title>${escapeHtml(s.name)}</title></path>`).join('');
  const legend = series.map((s) => `<li><span class="line ${s.cls}" aria-hidden="true"></span>${escapeHtml(s.name)}</li>`).join('');
  return `<figure class="drill-chart ${cls}">${phaseStrip(r)}${chartBox(cls, label, axes(scale, max, yLabel, false, stepFor(r.scenario.end - r.scenario.start)), bands(r, scale) + marks)}<figcaption><ul class="legend">${legend}</ul></figcaption></figure>`;
}

const rate = (ok: number, n: number) => (n === 0 ? null : (ok / n) * 100);

export function successChart(r: DrillReport): string {
  const pts = r.series.points;
  const series: Series[] = [{ cls: 'gw', name: 'through the gateway', points: pts.map((p) => ({ at: p.at, v: rate(p.gateway.ok, p.gateway.requests) })) }];
  if (r.overall.baseline) series.push({ cls: 'base', name: 'no gateway (SDK retries)', points: pts.map((p) => ({ at: p.at, v: p.baseline ? rate(p.baseline.ok, p.baseline.requests) : null })) });
  const o = r.overall;
  const label = `Requests that succeeded over the scenario: ${formatPct(o.gateway.successRate * 100)} through the gateway${o.baseline ? `, ${formatPct(o.baseline.successRate * 100)} without it` : ''}.`;
  return lineChart(r, 'success', label, series, 100, (v) => `${Math.round(v)}%`);
}

export function ttftChart(r: DrillReport): string {
  const pts = r.series.points;
  const series: Series[] = [
    { cls: 'p95', name: 'gateway p95', points: pts.map((p) => ({ at: p.at, v: p.gateway.ttftP95 })) },
    { cls: 'p50', name: 'gateway median', points: pts.map((p) => ({ at: p.at, v: p.gateway.ttftP50 })) },
  ];
  if (r.overall.baseline) series.push({ cls: 'base', name: 'no gateway median', points: pts.map((p) => ({ at: p.at, v: p.baseline?.ttftP50 ?? null })) });
  const peak = Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.v ?? 0)));
  const t = r.overall.gateway.ttft;
  const label = `Time to first token of streamed answers: median ${t.p50 === null ? 'n/a' : formatMs(t.p50)}, p95 ${t.p95 === null ? 'n/a' : formatMs(t.p95)} through the gateway.`;
  return lineChart(r, 'ttft', label, series, niceMax(peak, 1000), formatMs);
}

export function amplificationChart(r: DrillReport): string {
  const pts = r.series.points;
  const per = (a: number, n: number) => (n === 0 ? null : a / n);
  const series: Series[] = [{ cls: 'gw', name: 'through the gateway', points: pts.map((p) => ({ at: p.at, v: per(p.gateway.attempts, p.gateway.requests) })) }];
  if (r.overall.baseline) series.push({ cls: 'base', name: 'no gateway (SDK retries)', points: pts.map((p) => ({ at: p.at, v: p.baseline ? per(p.baseline.attempts, p.baseline.requests) : null })) });
  const peak = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.v ?? 0)));
  const label = `Upstream requests per client request: ${r.overall.gateway.attemptsPerRequest.toFixed(2)} through the gateway${r.overall.baseline ? `, ${r.overall.baseline.attemptsPerRequest.toFixed(2)} without it` : ''}.`;
  return lineChart(r, 'amplification', label, series, niceMax(peak, 2), (v) => v.toFixed(1));
}

/** Successful answers by the provider that started them, stacked to 100% per bucket. */
export function servedByChart(r: DrillReport): string {
  const scale = timeScale(r.scenario.start, r.scenario.end);
  const names = r.config.providers.map((p) => p.name);
  const w = scale.x(r.scenario.start + r.series.bucketMs) - scale.x(r.scenario.start);
  let rects = '';
  for (const p of r.series.points) {
    const total = names.reduce((n, k) => n + (p.servedBy[k] ?? 0), 0);
    if (total === 0) continue;
    let y = H;
    names.forEach((k, i) => {
      const h = ((p.servedBy[k] ?? 0) / total) * H;
      if (h <= 0) return;
      y -= h;
      rects += `<rect class="p${i % 8}" x="${n1(scale.x(p.at))}" y="${n1(y)}" width="${n1(w)}" height="${n1(h)}"><title>${escapeHtml(k)} ${formatAt(p.at, r.scenario.start)}: ${p.servedBy[k]} of ${total}</title></rect>`;
    });
  }
  const sum = (k: string) => r.series.points.reduce((n, p) => n + (p.servedBy[k] ?? 0), 0);
  const all = names.reduce((n, k) => n + sum(k), 0) || 1;
  const legend = names.map((k, i) => `<li><span class="swatch p${i % 8}" aria-hidden="true"></span><span class="name">${escapeHtml(k)}</span> ${Math.round((sum(k) / all) * 100)}%</li>`).join('');
  const label = `Where the gateway's successful answers came from: ${names.map((k) => `${k} ${Math.round((sum(k) / all) * 100)}%`).join(', ')}.`;
  return `<figure class="drill-chart served">${phaseStrip(r)}${chartBox('served', label, axes(scale, 1, (v) => `${Math.round(v * 100)}%`, false, stepFor(r.scenario.end - r.scenario.start)), bands(r, scale) + rects)}<figcaption><ul class="legend">${legend}</ul></figcaption></figure>`;
}

/** One chart per provider that has a capacity: everyone's load on it, and the capacity line. */
export function loadCharts(r: DrillReport): string {
  const out: string[] = [];
  for (const p of r.config.providers) {
    const pts = r.series.load.map((x) => ({ at: x.at, load: x.providers[p.name]?.load ?? null, cap: x.providers[p.name]?.capacity ?? null }));
    if (!pts.some((x) => x.cap !== null)) continue;
    const peak = Math.max(...r.phases.map((ph) => ph.providers.find((q) => q.provider === p.name)?.peakLoad ?? 0), ...pts.map((x) => Math.max(x.load ?? 0, x.cap ?? 0)));
    const cap = Math.min(...pts.map((x) => x.cap ?? Infinity));
    const label = `Load on ${p.name} against its capacity: peak ${Math.round(peak)} concurrent requests, capacity ${cap}.`;
    out.push(
      `<div><h4>${escapeHtml(p.name)}</h4>${lineChart(
        r,
        'load',
        label,
        [
          { cls: 'cap', name: 'capacity', points: pts.map((x) => ({ at: x.at, v: x.cap })) },
          { cls: 'gw', name: 'everyone’s load, with the gateway’s traffic', points: pts.map((x) => ({ at: x.at, v: x.load })) },
        ],
        niceMax(peak * 1.1, 10),
        (v) => String(Math.round(v)),
        0,
      )}</div>`,
    );
  }
  return out.join('');
}
