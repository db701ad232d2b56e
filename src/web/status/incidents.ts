/**
 * Incident history: open incidents first, then newest first, each with its
 * start, end and duration, affected components, peak error rate and timeline.
 * Incidents a vendor declared on its own status page are marked as such and
 * link there, so readers can tell "Switchyard saw it" from "they said it".
 */
import type { Incident } from '../../health/types.js';
import { escapeHtml, safeHref } from './escape.js';
import { formatDuration, formatPct, timeTag } from './format.js';
import { stateBadge, stateClass } from './states.js';

/** Bounds page size however long the history is; the JSON API has the rest. */
export const MAX_INCIDENTS = 50;

const STATUS_WORDS: Record<string, string> = { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' };
const statusWord = (s: string) => STATUS_WORDS[s] ?? s;

export function isOpen(i: Incident): boolean {
  return i.status !== 'resolved' && i.resolvedAt === undefined;
}

/** Open first, then newest first (the snapshot promises this order; we don't rely on it). */
export function orderIncidents(list: Incident[]): Incident[] {
  return [...list].sort((a, b) => Number(isOpen(b)) - Number(isOpen(a)) || b.startedAt - a.startedAt);
}

function renderIncident(i: Incident, now: number, headingLevel: 3 | 4): string {
  const open = isOpen(i);
  const end = i.resolvedAt ?? now;
  const when = open
    ? `Started ${timeTag(i.startedAt)} · ongoing for ${formatDuration(end - i.startedAt)}`
    : `${timeTag(i.startedAt)} to ${timeTag(end)} · lasted ${formatDuration(end - i.startedAt)}`;
  const href = safeHref(i.url);
  const source =
    i.source === 'vendor'
      ? `<p class="source vendor">Declared by ${escapeHtml(i.provider)} on its status page${href ? ` · <a href="${href}" rel="noopener noreferrer external">View the vendor's incident</a>` : ''}</p>`
      : `<p class="source">Detected by Switchyard from live traffic${i.peakErrorRate > 0 ? ` · peak error rate ${formatPct(i.peakErrorRate * 100, 1)}` : ''}</p>`;
  const components = i.components.length > 0 ? `<p class="affected">Affected: ${i.components.map(escapeHtml).join(', ')}</p>` : '';
  const updates = [...i.updates]
    .sort((a, b) => b.at - a.at)
    .map((u) => `<li>${timeTag(u.at)} <strong>${statusWord(u.status)}</strong> ${stateBadge(u.state)}${u.message ? ` — ${escapeHtml(u.message)}` : ''}</li>`)
    .join('');
  const h = `h${headingLevel}`;
  const anchor = `inc-${i.id.replace(/[^\w-]/g, '_')}`;
  return (
    `<li><article class="incident ${stateClass(i.impact)}${open ? ' open' : ''}" aria-labelledby="${anchor}">` +
    `<${h} id="${anchor}">${escapeHtml(i.title)}</${h}>` +
    `<p class="meta"><span class="status">${statusWord(i.status)}</span> ${stateBadge(i.impact)}</p>` +
    `<p class="when">${when}</p>${source}${components}` +
    (updates ? `<details${open ? ' open' : ''}><summary>Timeline (${i.updates.length})</summary><ol class="timeline">${updates}</ol></details>` : '') +
    `</article></li>`
  );
}

export function renderIncidentList(list: Incident[], now: number, headingLevel: 3 | 4 = 3): string {
  const ordered = orderIncidents(list);
  const shown = ordered.slice(0, MAX_INCIDENTS);
  const more = ordered.length - shown.length;
  return (
    `<ol class="incidents">${shown.map((i) => renderIncident(i, now, headingLevel)).join('')}</ol>` +
    (more > 0 ? `<p class="more">${more} older incident${more === 1 ? '' : 's'} not shown; see <a href="/status/api/v2/incidents.json">incidents.json</a>.</p>` : '')
  );
}
