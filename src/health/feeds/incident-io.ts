/**
 * incident.io status pages (OpenAI's status.openai.com). Two public JSON shapes:
 *
 * - The page's own proxy feed, `https://status.openai.com/proxy/status.openai.com`,
 *   which the status page itself renders from: `{ summary: { id, name, components[],
 *   structure: { items: [{ group: { name, hidden, components: [{ component_id, name, hidden }] } } | { component }] },
 *   affected_components: [{ component_id, status, current_status? }],
 *   ongoing_incidents: [{ id, name, status, published_at, current_worst_impact?,
 *   affected_components[], component_impacts: [{ component_id, status, start_at, end_at }], updates? }],
 *   scheduled_maintenances[] } }`. Observed, not a documented contract.
 * - The documented Widget API (`/api/v1/summary`, https://docs.incident.io/status-pages/widget-api):
 *   `{ page_title, page_url, ongoing_incidents: [{ id, name, status, url, last_update_at,
 *   last_update_message, current_worst_impact, affected_components: [{ id, name, group_name, current_status }] }],
 *   in_progress_maintenances[], scheduled_maintenances[] }`.
 *
 * incident.io says `full_outage` where Statuspage says `major_outage`.
 */
import type { ComponentState, Incident, IncidentUpdate } from '../types.js';
import { incidentStatus, orderIncidents, rec, recs, str, time, vendorIncidentId, worst, type Json } from './read-json.js';
import { FeedParseError, type FeedResult, type ParseContext, type VendorComponent } from './types.js';

export function incidentIoState(v: unknown): ComponentState {
  switch (v) {
    case 'operational':
      return 'operational';
    case 'degraded_performance':
    case 'partial_outage':
      return v;
    case 'full_outage':
    case 'major_outage':
      return 'major_outage';
    default:
      return 'degraded_performance';
  }
}

export function parseIncidentIo(doc: unknown, ctx: ParseContext): FeedResult {
  const root = rec(doc);
  const summary = rec(root?.summary);
  if (summary && (Array.isArray(summary.components) || rec(summary.structure))) return parseProxy(summary, ctx);
  if (root && Array.isArray(root.ongoing_incidents)) return parseWidget(root, ctx);
  return { ok: false, error: new FeedParseError('incident-io', 'unexpected_shape', 'expected { summary: { components, structure, ... } } (proxy feed) or { ongoing_incidents: [...] } (widget API)') };
}

function parseProxy(summary: Json, ctx: ParseContext): FeedResult {
  const names = new Map(recs(summary.components).map((c) => [str(c.id) ?? '', str(c.name) ?? '']));
  const affected = new Map<string, ComponentState>();
  for (const a of recs(summary.affected_components)) {
    const id = str(a.component_id) ?? str(a.id);
    if (id) affected.set(id, incidentIoState(a.current_status ?? a.status));
  }
  const components: VendorComponent[] = [];
  const add = (c: Json, group?: string) => {
    const id = str(c.component_id) ?? str(c.id);
    const name = str(c.name) ?? names.get(id ?? '');
    if (c.hidden === true || !id || !name || components.some((x) => x.id === id)) return;
    components.push({ id, name, ...(group ? { group } : {}), state: affected.get(id) ?? 'operational' });
  };
  const items = recs(rec(summary.structure)?.items);
  for (const item of items) {
    const group = rec(item.group);
    if (group) {
      if (group.hidden === true) continue;
      for (const c of recs(group.components)) add(c, str(group.name));
    } else {
      const c = rec(item.component);
      if (c) add(c);
    }
  }
  // Without a structure, every listed component is shown.
  if (items.length === 0) for (const c of recs(summary.components)) add(c);

  const incidents = recs(summary.ongoing_incidents)
    .map((i) => proxyIncident(i, names, ctx))
    .filter((i): i is Incident => i !== undefined);
  return {
    ok: true,
    status: {
      provider: ctx.provider,
      format: 'incident-io',
      pageUrl: ctx.pageUrl ?? '',
      indicator: worst([...affected.values(), ...incidents.map((i) => i.impact)]),
      components,
      incidents: orderIncidents(incidents, ctx.fetchedAt, ctx.recentMs),
      fetchedAt: ctx.fetchedAt,
    },
  };
}

function proxyIncident(i: Json, names: Map<string, string>, ctx: ParseContext): Incident | undefined {
  const id = str(i.id);
  const title = str(i.name);
  if (!id || !title) return undefined;
  const states: ComponentState[] = [];
  const comps = new Set<string>();
  const starts: number[] = [];
  for (const a of recs(i.affected_components)) {
    const cid = str(a.component_id) ?? str(a.id);
    if (cid) comps.add(names.get(cid) || str(a.name) || cid);
    states.push(incidentIoState(a.current_status ?? a.status));
  }
  for (const p of recs(i.component_impacts)) {
    const cid = str(p.component_id);
    if (cid) comps.add(names.get(cid) || cid);
    if (p.end_at === null || p.end_at === undefined) states.push(incidentIoState(p.status));
    const s = time(p.start_at);
    if (s !== undefined) starts.push(s);
  }
  if (str(i.current_worst_impact)) states.push(incidentIoState(i.current_worst_impact));
  const updates: IncidentUpdate[] = recs(i.updates)
    .map((u) => {
      const at = time(u.published_at);
      if (at === undefined) return undefined;
      const statuses = recs(u.component_statuses).map((c) => incidentIoState(c.status));
      return {
        at,
        status: incidentStatus(u.to_status),
        state: statuses.length > 0 ? worst(statuses) : worst(states),
        message: str(u.message_string) ?? str(rec(u.message)?.text) ?? '',
      };
    })
    .filter((u): u is IncidentUpdate => u !== undefined)
    .sort((a, b) => a.at - b.at);
  const status = incidentStatus(i.status);
  const startedAt = time(i.published_at) ?? (starts.length > 0 ? Math.min(...starts) : undefined) ?? updates[0]?.at ?? ctx.fetchedAt;
  const out: Incident = {
    id: vendorIncidentId(ctx.provider, id),
    source: 'vendor',
    title,
    components: [...comps],
    provider: ctx.provider,
    status,
    impact: worst(states.length > 0 ? states : ['degraded_performance']),
    startedAt,
    peakErrorRate: 0,
    updates,
  };
  if (ctx.pageUrl) out.url = `${ctx.pageUrl}/incidents/${encodeURIComponent(id)}`;
  if (status === 'resolved') out.resolvedAt = updates.at(-1)?.at ?? startedAt;
  return out;
}

function parseWidget(root: Json, ctx: ParseContext): FeedResult {
  const components = new Map<string, VendorComponent>();
  const incidents: Incident[] = [];
  for (const i of recs(root.ongoing_incidents)) {
    const id = str(i.id);
    const title = str(i.name);
    if (!id || !title) continue;
    const states: ComponentState[] = [];
    const names: string[] = [];
    for (const c of recs(i.affected_components)) {
      const name = str(c.name);
      const state = incidentIoState(c.current_status);
      states.push(state);
      if (!name) continue;
      names.push(name);
      const cid = str(c.id) ?? name;
      const prev = components.get(cid);
      const group = str(c.group_name);
      components.set(cid, { id: cid, name, ...(group ? { group } : {}), state: prev ? worst([prev.state, state]) : state });
    }
    if (str(i.current_worst_impact)) states.push(incidentIoState(i.current_worst_impact));
    const impact = worst(states.length > 0 ? states : ['degraded_performance']);
    const at = time(i.last_update_at) ?? ctx.fetchedAt;
    const status = incidentStatus(i.status);
    const inc: Incident = {
      id: vendorIncidentId(ctx.provider, id),
      source: 'vendor',
      title,
      components: names,
      provider: ctx.provider,
      status,
      impact,
      // The widget feed carries only the latest update; its time is the best start we know.
      startedAt: at,
      peakErrorRate: 0,
      updates: [{ at, status, state: impact, message: str(i.last_update_message) ?? '' }],
    };
    const url = str(i.url);
    if (url) inc.url = url;
    incidents.push(inc);
  }
  for (const m of recs(root.in_progress_maintenances)) {
    for (const c of recs(m.affected_components)) {
      const name = str(c.name);
      if (!name) continue;
      const cid = str(c.id) ?? name;
      const prev = components.get(cid);
      components.set(cid, { ...(prev ?? { id: cid, name, state: 'operational' as const }), underMaintenance: true });
    }
  }
  const pageUrl = str(root.page_url) ?? ctx.pageUrl ?? '';
  return {
    ok: true,
    status: {
      provider: ctx.provider,
      format: 'incident-io',
      pageUrl,
      indicator: worst(incidents.map((i) => i.impact)),
      components: [...components.values()],
      incidents: orderIncidents(incidents, ctx.fetchedAt, ctx.recentMs),
      fetchedAt: ctx.fetchedAt,
    },
  };
}
