/**
 * Instatus (Perplexity's status page). Public documents
 * (https://instatus.com/help/api/public-data):
 * - `/summary.json`: `{ page: { name, url, status: UP | HASISSUES | UNDERMAINTENANCE },
 *   activeIncidents: [{ id?, name, started, status, impact, url }], activeMaintenances: [...] }`,
 *   where `started` may be a JavaScript Date string ("Sat Jun 11 2022 18:55:50 GMT+0000 (...)").
 * - `/v2/components.json`: `{ components: [{ id, name, status, group? }] }`.
 * Statuses are upper case without separators: OPERATIONAL, UNDERMAINTENANCE,
 * DEGRADEDPERFORMANCE, PARTIALOUTAGE, MINOROUTAGE, MAJOROUTAGE
 * (https://instatus.com/help/webhooks).
 */
import type { ComponentState, Incident } from '../types.js';
import { incidentStatus, orderIncidents, rec, recs, str, time, vendorIncidentId, worst } from './read-json.js';
import { FeedParseError, type FeedResult, type ParseContext, type VendorComponent } from './types.js';

export function instatusState(v: unknown): { state: ComponentState; maintenance: boolean } {
  switch (str(v)?.toUpperCase().replace(/[^A-Z]/g, '')) {
    case 'OPERATIONAL':
      return { state: 'operational', maintenance: false };
    case 'UNDERMAINTENANCE':
      return { state: 'operational', maintenance: true };
    case 'DEGRADEDPERFORMANCE':
      return { state: 'degraded_performance', maintenance: false };
    // Instatus ranks MINOROUTAGE between partial and major; both are "some users cannot".
    case 'PARTIALOUTAGE':
    case 'MINOROUTAGE':
      return { state: 'partial_outage', maintenance: false };
    case 'MAJOROUTAGE':
      return { state: 'major_outage', maintenance: false };
    default:
      return { state: 'degraded_performance', maintenance: false };
  }
}

/** `summary` is /summary.json; `componentsDoc` (optional) is /v2/components.json. */
export function parseInstatus(summary: unknown, componentsDoc: unknown, ctx: ParseContext): FeedResult {
  const root = rec(summary);
  const page = rec(root?.page);
  if (!root || !page || str(page.status) === undefined) {
    return { ok: false, error: new FeedParseError('instatus', 'unexpected_shape', 'expected { page: { status }, activeIncidents } as in /summary.json') };
  }
  const components: VendorComponent[] = [];
  if (componentsDoc !== undefined) {
    const list = rec(componentsDoc)?.components;
    if (!Array.isArray(list)) {
      return { ok: false, error: new FeedParseError('instatus', 'unexpected_shape', 'expected { components: [...] } as in /v2/components.json') };
    }
    for (const c of recs(list)) {
      const name = str(c.name);
      if (!name) continue;
      const { state, maintenance } = instatusState(c.status);
      const group = str(c.group) ?? str(rec(c.group)?.name);
      components.push({ id: str(c.id) ?? name, name, ...(group ? { group } : {}), state, ...(maintenance ? { underMaintenance: true } : {}) });
    }
  }

  const incidents: Incident[] = recs(root.activeIncidents).flatMap((i) => {
    const title = str(i.name);
    if (!title) return [];
    const url = str(i.url);
    // Older summaries have no id; the incident URL ends in it.
    const id = str(i.id) ?? url?.split('/').pop() ?? title;
    const impact = instatusState(i.impact).state;
    const status = incidentStatus(i.status);
    const startedAt = time(i.started) ?? ctx.fetchedAt;
    const at = time(i.updatedAt) ?? startedAt;
    const inc: Incident = {
      id: vendorIncidentId(ctx.provider, id),
      source: 'vendor',
      title,
      components: [],
      provider: ctx.provider,
      status,
      impact: impact === 'operational' ? 'degraded_performance' : impact,
      startedAt,
      peakErrorRate: 0,
      updates: [{ at, status, state: impact, message: '' }],
    };
    if (url) inc.url = url;
    if (status === 'resolved') inc.resolvedAt = at;
    return [inc];
  });

  const pageStatus = str(page.status)!.toUpperCase();
  const problems = [...components.map((c) => c.state), ...incidents.filter((i) => i.status !== 'resolved').map((i) => i.impact)];
  // HASISSUES without details still means something is wrong.
  const indicator = pageStatus === 'HASISSUES' ? worst([...problems, 'degraded_performance']) : worst(problems);
  return {
    ok: true,
    status: {
      provider: ctx.provider,
      format: 'instatus',
      pageUrl: str(page.url) ?? ctx.pageUrl ?? '',
      indicator,
      ...(pageStatus === 'UNDERMAINTENANCE' ? { description: 'Under maintenance' } : {}),
      components,
      incidents: orderIncidents(incidents, ctx.fetchedAt, ctx.recentMs),
      fetchedAt: ctx.fetchedAt,
    },
  };
}
