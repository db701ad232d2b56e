/**
 * "Where traffic went": each provider's share of requests per interval over
 * 24 h, stacked to 100%. On 2024-06-04 this is the picture of traffic leaving
 * OpenAI for Claude, Gemini and Perplexity — here seen from inside the gateway.
 * Providers are ordered by name, so colours stay put across refreshes.
 */
import type { TrafficPoint } from '../../health/types.js';
import { axes, chartBox, emptyChart, H, timeScale } from './chart-frame.js';
import { downsampleTraffic, groupSize } from './downsample.js';
import { escapeHtml } from './escape.js';
import { formatClock, formatPct, n1 } from './format.js';

/** Categorical palette size (Okabe–Ito, distinguishable with common colour-vision deficiencies); see styles.ts. */
const PALETTE = 8;

/**
 * A step outline through (x, y) per interval, emitting a vertex only where the
 * value changes: a steady share costs two points, not one per interval.
 */
function steps(xs: string[], ys: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ys.length; i++) {
    if (i > 0 && ys[i] === ys[i - 1]) continue;
    if (i > 0) out.push(`${xs[i]} ${ys[i - 1]}`);
    out.push(`${xs[i]} ${ys[i]}`);
  }
  out.push(`${xs[ys.length]} ${ys[ys.length - 1]}`);
  return out;
}

export function renderTrafficChart(raw: TrafficPoint[], rawIntervalMs: number): string {
  const k = groupSize(raw.length);
  const points = downsampleTraffic(raw, k);
  const intervalMs = rawIntervalMs * k;
  const providers = [...new Set(points.flatMap((p) => Object.keys(p.byProvider)))].sort();
  const totals = points.map((p) => providers.reduce((n, name) => n + (p.byProvider[name] ?? 0), 0));
  const all = totals.reduce((a, b) => a + b, 0);
  if (points.length === 0 || all === 0) {
    return `<figure class="traffic">${emptyChart('traffic', 'Share of requests by provider, last 24 hours: no requests observed.')}</figure>`;
  }

  const scale = timeScale(points[0]!.at, points[points.length - 1]!.at + intervalMs);
  const xs = points.map((p) => n1(scale.x(p.at)));
  xs.push(n1(scale.x(points[points.length - 1]!.at + intervalMs)));
  const yShare = (s: number) => n1(H * (1 - s));
  let lower = points.map(() => yShare(0));
  const cum = points.map(() => 0);
  const areas: string[] = [];
  providers.forEach((name, idx) => {
    points.forEach((p, i) => {
      cum[i]! += totals[i]! > 0 ? (p.byProvider[name] ?? 0) / totals[i]! : 0;
    });
    const upper = cum.map(yShare);
    // Top edge left to right, bottom edge (the previous provider's top) right to left.
    const d = `M${steps(xs, upper).join('L')}L${steps(xs, lower).reverse().join('L')}Z`;
    areas.push(`<path class="p${idx % PALETTE}" d="${d}"><title>${escapeHtml(name)}</title></path>`);
    lower = upper;
  });

  const lastIdx = totals.findLastIndex((t) => t > 0);
  const lastPoint = points[lastIdx]!;
  const share24 = (name: string) => (points.reduce((n, p) => n + (p.byProvider[name] ?? 0), 0) / all) * 100;
  const shareNow = (name: string) => ((lastPoint.byProvider[name] ?? 0) / totals[lastIdx]!) * 100;
  const pct = (v: number) => `${Math.round(v)}%`;

  const label =
    `Share of requests by provider, last 24 hours: ${providers.map((n) => `${n} ${pct(share24(n))}`).join(', ')}. ` +
    `Latest interval (${formatClock(lastPoint.at)} UTC): ${providers.map((n) => `${n} ${pct(shareNow(n))}`).join(', ')}.`;
  const legend = providers
    .map(
      (n, idx) =>
        `<li><span class="swatch p${idx % PALETTE}" aria-hidden="true"></span><span class="name">${escapeHtml(n)}</span> ` +
        `<span class="share">${pct(share24(n))} over 24 h · ${pct(shareNow(n))} now</span></li>`,
    )
    .join('');
  return (
    `<figure class="traffic">${chartBox('traffic', label, axes(scale, 1, (v) => formatPct(v * 100, 0)), areas.join(''))}` +
    `<figcaption><ul class="legend">${legend}</ul></figcaption></figure>`
  );
}
