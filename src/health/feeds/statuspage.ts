/**
 * Atlassian Statuspage v2 (`/api/v2/summary.json`; Anthropic's status page):
 * `{ page, status: { indicator, description }, components[], incidents[], scheduled_maintenances[] }`.
 * Components that are groups (`group: true`) only contain others and are not
 * shown; children name their group via `group_id`. Incident updates come newest
 * first. Also accepts `/api/v2/incidents.json` (`{ page, incidents }`).
 * Reference: https://developer.statuspage.io / any page's /api/v2 docs.
 */
import type { ComponentState, Incident, IncidentUpdate } from '../types.js';
import { incidentStatus, orderIncidents, rec, recs, str, time, vendorIncidentId, worst, type Json } from './read-json.js';
import { FeedParseError, type FeedResult, type ParseContext, type VendorComponent } from './types.js';

const INDICATOR: Record<string, ComponentState> = { none: 'operational', minor: 'degraded_performance', major: 'partial_outage', critical: 'major_outage' };

export function statuspageState(v: unknown): { state: ComponentState; maintenance: boolean } {
  switch (v) {
    case 'operational':
    case 'degraded_performance':
    case 'partial_outage':
    case 'major_outage':
      return { state: v, maintenance: false };
    case 'under_maintenance':
      return { state: 'operational', maintenance: true };
    default:
      // An unknown non-empty status is treated as "something is wrong", not as fine.
      return { state: 'degraded_performance', maintenance: false };
  }
}

export function parseStatuspage(doc: unknown, ctx: ParseContext): FeedResult {
  const root = rec(doc);
  const page = rec(root?.page);
  if (!root || !page || (!Array.isArray(root.components) && !Array.isArray(root.incidents))) {
    return { ok: false, error: new FeedParseError('statuspage', 'unexpected_shape', 'expected { page, components, incidents } as in /api/v2/summary.json') };
  }
  const all = recs(root.components);
  const groupNames = new Map(all.filter((c) => c.group === true).map((c) => [str(c.id) ?? '', str(c.name) ?? '']));
  const components: VendorComponent[] = [];
  for (const c of all) {
    const id = str(c.id);
    const name = str(c.name);
    if (c.group === true || !id || !name) continue;
    const { state, maintenance } = statuspageState(c.status);
    const out: VendorComponent = { id, name, state };
    const group = groupNames.get(str(c.group_id) ?? '');
    if (group) out.group = group;
    if (maintenance) out.underMaintenance = true;
    components.push(out);
  }

  const incidents = recs(root.incidents)
    .map((i) => toIncident(i, ctx))
    .filter((i): i is Incident => i !== undefined);

  const status = rec(root.status);
  const indicator = INDICATOR[str(status?.indicator) ?? ''] ?? worst([...components.map((c) => c.state), ...incidents.filter((i) => i.status !== 'resolved').map((i) => i.impact)]);
  const description = str(status?.description);
  return {
    ok: true,
    status: {
      provider: ctx.provider,
      format: 'statuspage',
      pageUrl: str(page.url) ?? ctx.pageUrl ?? '',
      indicator,
      ...(description ? { description } : {}),
      components,
      incidents: orderIncidents(incidents, ctx.fetchedAt, ctx.recentMs),
      fetchedAt: ctx.fetchedAt,
    },
  };
}

function toIncident(i: Json, ctx: ParseContext): Incident | undefined {
  const id = str(i.id);
  const title = str(i.name);
  if (!id || !title) return undefined;
  const status = incidentStatus(i.status);
  const impactBase = INDICATOR[str(i.impact) ?? ''] ?? 'degraded_performance';
  const names = new Set(recs(i.components).map((c) => str(c.name)).filter((n): n is string => n !== undefined));
  const updates: IncidentUpdate[] = [];
  const seen: ComponentState[] = [impactBase];
  // Statuspage lists updates newest first; the timeline reads oldest first.
  for (const u of [...recs(i.incident_updates)].reverse()) {
    const at = time(u.display_at) ?? time(u.created_at);
    if (at === undefined) continue;
    const affected = recs(u.affected_components);
    const states = affected.map((a) => statuspageState(a.new_status).state);
    for (const a of affected) {
      const n = str(a.name);
      if (n) names.add(n);
    }
    seen.push(...states);
    updates.push({ at, status: incidentStatus(u.status), state: states.length > 0 ? worst(states) : impactBase, message: str(u.body) ?? '' });
  }
  const startedAt = time(i.started_at) ?? time(i.created_at) ?? updates[0]?.at ?? ctx.fetchedAt;
  const out: Incident = {
    id: vendorIncidentId(ctx.provider, id),
    source: 'vendor',
    title,
    components: [...names],
    provider: ctx.provider,
    status,
    impact: worst(seen),
    startedAt,
    peakErrorRate: 0,
    updates,
  };
  const resolvedAt = time(i.resolved_at);
  if (status === 'resolved') out.resolvedAt = resolvedAt ?? updates.at(-1)?.at ?? startedAt;
  const url = str(i.shortlink);
  if (url) out.url = url;
  return out;
}
