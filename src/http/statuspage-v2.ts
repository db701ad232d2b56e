/**
 * The StatusSnapshot in Atlassian Statuspage's public API v2 shape
 * (/api/v2/summary.json, status.json, components.json, incidents.json), so
 * monitors and aggregators that already read vendor status pages read ours.
 * Shape as served by e.g. status.openai.com/api/v2/summary.json: `page`,
 * `status {indicator, description}`, components with `group`/`group_id`,
 * incidents with `incident_updates` newest first. Nothing secret: names,
 * states and counts only.
 */
import type { ComponentState, Incident, StatusSnapshot } from '../health/types.js';

export const PAGE_ID = 'switchyard';

export interface V2Page {
  id: string;
  name: string;
  url: string;
  time_zone: string;
  updated_at: string;
}

export interface V2Component {
  id: string;
  name: string;
  status: ComponentState;
  created_at: string;
  updated_at: string;
  position: number;
  description: string | null;
  showcase: boolean;
  start_date: string | null;
  group_id: string | null;
  page_id: string;
  group: boolean;
  only_show_if_degraded: boolean;
  /** Groups only: ids of their components. */
  components?: string[];
}

export type V2Indicator = 'none' | 'minor' | 'major' | 'critical';

const iso = (ms: number) => new Date(ms).toISOString();

export function v2Page(s: StatusSnapshot, pageUrl: string | undefined): V2Page {
  return { id: PAGE_ID, name: 'Switchyard', url: pageUrl ?? '', time_zone: 'Etc/UTC', updated_at: iso(s.generatedAt) };
}

/** Statuspage's page indicator: none, minor (degraded or partial somewhere), major (a major outage), critical (everything down). */
export function v2Status(s: StatusSnapshot): { indicator: V2Indicator; description: string } {
  const states = s.components.map((c) => c.state);
  if (states.length > 0 && states.every((st) => st === 'major_outage')) return { indicator: 'critical', description: 'Major System Outage' };
  if (states.includes('major_outage')) return { indicator: 'major', description: 'Partial System Outage' };
  if (states.includes('partial_outage') || states.includes('degraded_performance')) return { indicator: 'minor', description: 'Minor Service Outage' };
  return { indicator: 'none', description: 'All Systems Operational' };
}

/** One group per provider (worst state of its models), then its models, as Statuspage nests them. */
export function v2Components(s: StatusSnapshot): V2Component[] {
  const out: V2Component[] = [];
  const providers = [...new Set(s.components.map((c) => c.provider))];
  let position = 1;
  for (const provider of providers) {
    const members = s.components.filter((c) => c.provider === provider);
    const worst = members.reduce<ComponentState>((w, c) => (rank(c.state) > rank(w) ? c.state : w), 'operational');
    const since = Math.max(...members.map((c) => c.since));
    out.push({
      ...base(provider, provider, worst, since, position++),
      group: true,
      description: `Models served through ${provider}`,
      components: members.map((c) => c.id),
    });
    for (const c of members) {
      out.push({ ...base(c.id, c.model, c.state, c.since, position++), group_id: provider, description: uptimeText(c.uptime90dPct) });
    }
  }
  return out;
}

function base(id: string, name: string, status: ComponentState, since: number, position: number): V2Component {
  return { id, name, status, created_at: iso(since), updated_at: iso(since), position, description: null, showcase: false, start_date: null, group_id: null, page_id: PAGE_ID, group: false, only_show_if_degraded: false };
}

function uptimeText(pct: number | null): string | null {
  return pct === null ? null : `${pct}% uptime over the last 90 days, as seen by this gateway`;
}

function rank(s: ComponentState): number {
  return ['operational', 'degraded_performance', 'partial_outage', 'major_outage'].indexOf(s);
}

/** Statuspage incident impact from our worst state. */
export function v2Impact(state: ComponentState): V2Indicator {
  return state === 'major_outage' ? 'critical' : state === 'partial_outage' ? 'major' : state === 'degraded_performance' ? 'minor' : 'none';
}

/** Incidents in v2 shape; `components` resolves ids against the snapshot's components. */
export function v2Incidents(list: Incident[], s: StatusSnapshot, pageUrl: string | undefined) {
  const byId = new Map(v2Components(s).map((c) => [c.id, c]));
  return list.map((i) => v2Incident(i, byId, pageUrl));
}

function v2Incident(i: Incident, byId: Map<string, V2Component>, pageUrl: string | undefined) {
  const last = i.updates.at(-1);
  const monitoring = [...i.updates].reverse().find((u) => u.status === 'monitoring');
  return {
    id: i.id,
    name: i.source === 'vendor' ? `[${i.provider}] ${i.title}` : i.title,
    status: i.status,
    created_at: iso(i.startedAt),
    updated_at: iso(last?.at ?? i.startedAt),
    monitoring_at: monitoring ? iso(monitoring.at) : null,
    resolved_at: i.resolvedAt !== undefined ? iso(i.resolvedAt) : null,
    impact: v2Impact(i.impact),
    shortlink: i.url ?? (pageUrl ? `${pageUrl}#${i.id}` : ''),
    started_at: iso(i.startedAt),
    page_id: PAGE_ID,
    // Newest first, as Statuspage lists them.
    incident_updates: i.updates
      .map((u, n) => ({
        id: `${i.id}_u${n}`,
        status: u.status,
        body: u.message,
        incident_id: i.id,
        created_at: iso(u.at),
        updated_at: iso(u.at),
        display_at: iso(u.at),
        affected_components: null,
        deliver_notifications: false,
        custom_tweet: null,
        tweet_id: null,
      }))
      .reverse(),
    components: i.components.map((id) => byId.get(id)).filter((c): c is V2Component => c !== undefined),
    // Not in Statuspage's schema, additive: who declared it and how bad it got.
    source: i.source,
    peak_error_rate: i.peakErrorRate,
  };
}

export function v2Summary(s: StatusSnapshot, pageUrl?: string) {
  return {
    page: v2Page(s, pageUrl),
    components: v2Components(s),
    incidents: v2Incidents(s.incidents.filter((i) => i.resolvedAt === undefined), s, pageUrl),
    scheduled_maintenances: [],
    status: v2Status(s),
  };
}
