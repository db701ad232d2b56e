/**
 * One component (provider x model): its state in words, the 90-day bar with
 * uptime %, and the two 24 h charts (errors, time to first token).
 */
import type { ComponentSnapshot } from '../../health/types.js';
import { renderErrorChart } from './error-chart.js';
import { escapeHtml } from './escape.js';
import { formatDuration, timeTag } from './format.js';
import { renderLatencyChart } from './latency-chart.js';
import { stateBadge } from './states.js';
import { renderUptimeBars } from './uptime-bars.js';

/** Anything measured for this component: otherwise "Operational" would be a claim without evidence. */
export function componentObserved(c: ComponentSnapshot): boolean {
  return c.state !== 'operational' || c.uptime90dPct !== null || c.days.some((d) => d.worst !== 'no_data') || c.errors24h.some((p) => p.requests > 0);
}

export function renderComponentCard(c: ComponentSnapshot, index: number, intervalMs: number, now: number): string {
  const hid = `c${index}`;
  const observed = componentObserved(c);
  // "since" only means something once there is data; an empty snapshot's since is just boot time.
  const since = observed && c.since > 0 ? `<p class="since">Since ${timeTag(c.since)} (${formatDuration(Math.max(0, now - c.since))})</p>` : '';
  const state = observed ? stateBadge(c.state) : stateBadge('no_data');
  return (
    `<li><section class="component" aria-labelledby="${hid}">` +
    `<div class="component-head"><h3 id="${hid}"><span class="provider">${escapeHtml(c.provider)} /</span> ${escapeHtml(c.model)}</h3>${state}</div>${since}` +
    renderUptimeBars(c.id, c.days, c.uptime90dPct) +
    `<div class="charts">` +
    `<figure><h4>Errors, last 24 h</h4>${renderErrorChart(c.id, c.errors24h, intervalMs)}</figure>` +
    `<figure><h4>Time to first token, last 24 h</h4>${renderLatencyChart(c.id, c.latency24h, intervalMs)}` +
    (c.latency24h.some((p) => p.p50 !== null || p.p95 !== null)
      ? `<figcaption><ul class="legend" aria-hidden="true"><li><span class="line"></span>median (p50)</li><li><span class="line p95"></span>p95</li></ul></figcaption>`
      : '') +
    `</figure>` +
    `</div></section></li>`
  );
}
