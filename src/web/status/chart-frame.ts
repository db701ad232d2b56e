/**
 * The frame shared by the 24 h charts. The SVG holds only the marks and
 * stretches to its box (viewBox + preserveAspectRatio="none", strokes
 * non-scaling), while axis labels are HTML beside and under it: text stays
 * the same readable size on a 390 px phone and a 1280 px desktop, which SVG
 * text in a scaled viewBox does not. The SVG is role="img" with an aria-label
 * summary — what a screen reader hears instead of the drawing (WAI-ARIA "img");
 * the HTML labels are aria-hidden so they are not read twice.
 */
import { escapeHtml } from './escape.js';
import { formatClock, n1 } from './format.js';

/** User units of the plot; the box's CSS size decides the pixels. */
export const W = 400;
export const H = 100;

const SIX_HOURS = 6 * 3_600_000;

export interface TimeScale {
  start: number;
  end: number;
  x(at: number): number;
}

export function timeScale(start: number, end: number): TimeScale {
  const span = Math.max(1, end - start);
  return { start, end, x: (at) => ((at - start) / span) * W };
}

/** y of a value on a 0..max axis (SVG y grows downwards). */
export function yOf(v: number, max: number): number {
  return H - (max > 0 ? (Math.min(v, max) / max) * H : 0);
}

/** Smallest 1/2/5 x 10^k at or above v (at least `floor`): axis tops people can read. */
export function niceMax(v: number, floor = 1): number {
  const target = Math.max(v, floor);
  const mag = 10 ** Math.floor(Math.log10(target));
  for (const m of [1, 2, 5, 10]) if (m * mag >= target) return m * mag;
  return 10 * mag;
}

/** 1 decimal at most, no trailing .0 — fits the narrow y-label column. */
const round = (v: number) => String(Math.round(v * 10) / 10);

export interface Axes {
  /** SVG grid lines. */
  grid: string;
  /** HTML labels. */
  y: string;
  x: string;
}

/** Grid lines at 0, max/2, max; UTC clock labels every `stepMs` (6 hours for the 24 h charts). */
export function axes(scale: TimeScale, max: number, yLabel: (v: number) => string = round, integer = false, stepMs = SIX_HOURS): Axes {
  let grid = '';
  let y = '';
  // Counts have no half: an axis up to 1 error gets no "0.5" line.
  for (const v of integer && max < 2 ? [0, max] : [0, max / 2, max]) {
    const at = yOf(v, max);
    grid += `<line class="grid" x1="0" x2="${W}" y1="${n1(at)}" y2="${n1(at)}"/>`;
    y += `<span style="top:${n1((at / H) * 100)}%">${escapeHtml(yLabel(v))}</span>`;
  }
  let x = '';
  const first = Math.ceil(scale.start / stepMs) * stepMs;
  for (let t = first; t <= scale.end; t += stepMs) {
    const pct = (scale.x(t) / W) * 100;
    // A label centred this close to an edge would be cut off.
    if (pct < 6 || pct > 94) continue;
    x += `<span style="left:${n1(pct)}%">${formatClock(t)}</span>`;
  }
  return { grid, y, x };
}

/** The chart: y labels | SVG (role="img", `label` is plain text, escaped here) over x labels. */
export function chartBox(cls: string, label: string, a: Axes, marks: string, overlay = ''): string {
  return (
    `<div class="chart-box ${cls}"><div class="y-labels" aria-hidden="true">${a.y}</div><div class="plot-area">` +
    `<svg class="chart" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img" aria-label="${escapeHtml(label)}" focusable="false">${a.grid}${marks}</svg>` +
    `${overlay}<div class="x-labels" aria-hidden="true">${a.x}</div></div></div>`
  );
}

/** A chart with nothing to draw says so, in the drawing and in its label. */
export function emptyChart(cls: string, label: string): string {
  return chartBox(
    cls,
    label,
    { grid: `<rect class="plot-bg" x="0" y="0" width="${W}" height="${H}"/>`, y: '', x: '' },
    '',
    '<div class="plot-empty" aria-hidden="true">No data in the last 24 hours</div>',
  );
}
