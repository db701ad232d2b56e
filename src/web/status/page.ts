/**
 * The public status page (GET /status): one self-contained HTML document —
 * inline CSS and SVG, no script, no external asset — so it renders even when
 * the network beyond the gateway is the thing that is down. Built by string
 * concatenation: 20 components x 90 days renders in a few ms.
 * Nothing secret reaches it: the snapshot holds provider names, models and counts.
 */
import type { StatusSnapshot } from '../../health/types.js';
import { renderBanner } from './banner.js';
import { renderComponentCard } from './component-card.js';
import { escapeHtml } from './escape.js';
import { timeTag } from './format.js';
import { isOpen, renderIncidentList } from './incidents.js';
import { DEFAULT_REFRESH_SECONDS } from './refresh.js';
import { STYLES } from './styles.js';
import { renderTrafficChart } from './traffic-chart.js';

export interface StatusPageOptions {
  title?: string;
  /** Seconds between automatic reloads (meta refresh); 0 turns it off. Default 30. */
  refreshSeconds?: number;
  /** A plain-text notice shown under the banner (e.g. health data unavailable). */
  notice?: string;
  /** Path of this page, for the "stop refreshing" link. Default /status. */
  selfPath?: string;
}

export { DEFAULT_REFRESH_SECONDS };

export function renderStatusPage(snapshot: StatusSnapshot, opts: StatusPageOptions = {}): string {
  const title = opts.title ?? 'Switchyard status';
  const refresh = opts.refreshSeconds ?? DEFAULT_REFRESH_SECONDS;
  const self = opts.selfPath ?? '/status';
  const now = snapshot.generatedAt;
  const open = snapshot.incidents.filter(isOpen);
  const past = snapshot.incidents.filter((i) => !isOpen(i));

  const refreshNote =
    refresh > 0
      ? `This page refreshes every ${refresh} s. <a href="${escapeHtml(self)}?refresh=0">Stop refreshing</a>`
      : `Automatic refresh is off. <a href="${escapeHtml(self)}">Turn it on</a>`;

  const parts: string[] = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    refresh > 0 ? `<meta http-equiv="refresh" content="${Math.floor(refresh)}">` : '',
    `<title>${escapeHtml(title)}</title>`,
    // No favicon request either: an empty data URL keeps the browser from asking for /favicon.ico.
    '<link rel="icon" href="data:,">',
    `<style>${STYLES}</style></head><body>`,
    '<a class="skip" href="#components-h">Skip to components</a>',
    `<div class="wrap"><header class="top"><h1>${escapeHtml(title)}</h1><p class="updated">Updated ${timeTag(now)}</p></header>`,
    '<main>',
    renderBanner(snapshot),
    opts.notice ? `<p class="notice" role="status">${escapeHtml(opts.notice)}</p>` : '',
  ];
  if (open.length > 0) {
    parts.push(`<section aria-labelledby="active-incidents"><h2 id="active-incidents">Active incidents</h2>${renderIncidentList(open, now)}</section>`);
  }
  parts.push(`<section aria-labelledby="components-h"><h2 id="components-h">Components</h2>`);
  parts.push(
    snapshot.components.length === 0
      ? '<p class="none">No components are configured.</p>'
      : `<ul class="components">${snapshot.components.map((c, i) => renderComponentCard(c, i, snapshot.intervalMs, now)).join('')}</ul>`,
  );
  parts.push('</section>');
  parts.push(`<section aria-labelledby="traffic-h"><h2 id="traffic-h">Where traffic went, last 24 h</h2>${renderTrafficChart(snapshot.traffic24h, snapshot.intervalMs)}</section>`);
  parts.push(
    `<section aria-labelledby="history-h"><h2 id="history-h">Incident history</h2>` +
      (past.length === 0 ? '<p class="none">No resolved incidents in the last 90 days.</p>' : renderIncidentList(past, now)) +
      '</section>',
  );
  parts.push(
    '</main><footer>',
    `<p>${refreshNote}</p>`,
    '<p>Machine-readable (Atlassian Statuspage v2 format): <a href="/status/api/v2/summary.json">summary.json</a><a href="/status/api/v2/components.json">components.json</a><a href="/status/api/v2/incidents.json">incidents.json</a></p>',
    '<p>Measured by Switchyard from the requests it forwards. Times are UTC.</p>',
    '</footer></div></body></html>',
  );
  return parts.join('');
}
