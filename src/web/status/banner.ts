/**
 * The overall banner: the first thing read in an outage ("is it them or us,
 * and since when?"). It says the worst state in words and names what is
 * affected; with no observations at all it says that honestly instead of
 * claiming all is well.
 */
import { worseState, type ComponentSnapshot, type StatusSnapshot } from '../../health/types.js';
import { escapeHtml } from './escape.js';
import { formatDuration, timeTag } from './format.js';
import { stateClass, stateLabel } from './states.js';
import { isOpen } from './incidents.js';

/** Affected components named in the banner; the rest are counted. */
const MAX_NAMED = 6;

export function hasObservations(s: StatusSnapshot): boolean {
  return s.components.some((c) => c.uptime90dPct !== null || c.errors24h.some((p) => p.requests > 0)) || s.traffic24h.some((t) => Object.values(t.byProvider).some((n) => n > 0));
}

function affectedLine(affected: ComponentSnapshot[], now: number): string {
  const named = affected.slice(0, MAX_NAMED).map(
    (c) => `<li><strong>${escapeHtml(c.id)}</strong>: ${stateLabel(c.state).toLowerCase()} since ${timeTag(c.since)} (${formatDuration(Math.max(0, now - c.since))})</li>`,
  );
  if (affected.length > MAX_NAMED) named.push(`<li>and ${affected.length - MAX_NAMED} more below</li>`);
  return `<ul class="affected-list">${named.join('')}</ul>`;
}

export function renderBanner(s: StatusSnapshot): string {
  const affected = s.components.filter((c) => c.state !== 'operational');
  // Sorted worst first so the banner's first name is the one that matters most.
  const order = ['major_outage', 'partial_outage', 'degraded_performance'];
  affected.sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state));
  const openIncidents = s.incidents.filter(isOpen).length;
  const incidentsLink = openIncidents > 0 ? `<p><a href="#active-incidents">${openIncidents} active incident${openIncidents === 1 ? '' : 's'}</a></p>` : '';

  if (s.components.length === 0) {
    return `<section class="banner s-no_data" aria-labelledby="banner-h"><h2 id="banner-h">No components configured</h2><p>Add models to the gateway's configuration to see their status here.</p></section>`;
  }
  if (affected.length === 0 && s.overall === 'operational') {
    if (!hasObservations(s)) {
      return (
        `<section class="banner s-no_data" aria-labelledby="banner-h"><h2 id="banner-h">No data yet</h2>` +
        `<p>Switchyard has not observed any traffic to its ${s.components.length} component${s.components.length === 1 ? '' : 's'} yet. Status appears here as requests flow.</p>${incidentsLink}</section>`
      );
    }
    return `<section class="banner s-operational" aria-labelledby="banner-h"><h2 id="banner-h">All systems operational</h2>${incidentsLink}</section>`;
  }
  // The snapshot's overall state wins if a component list and overall ever disagree: never understate.
  const worst = affected.reduce((w, c) => worseState(w, c.state), s.overall);
  const what =
    affected.length === 0 ? '' : affected.length === 1 ? `: ${affected[0]!.id} affected` : `: ${affected.length} of ${s.components.length} components affected`;
  return (
    `<section class="banner ${stateClass(worst)}" aria-labelledby="banner-h"><h2 id="banner-h">${stateLabel(worst)}${escapeHtml(what)}</h2>` +
    `${affected.length > 0 ? affectedLine(affected, s.generatedAt) : ''}${incidentsLink}</section>`
  );
}
