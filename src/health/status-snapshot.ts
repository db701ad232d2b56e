/**
 * Builds the StatusSnapshot read model (status page and JSON API) from stored
 * buckets plus the tracker's live states. Reads are coarse on purpose: 90 day
 * rows and 96 quarter-hour rows per component, whatever the traffic — which is
 * what keeps the page fast with 90 days of data (issue 5: <= 50 ms p99).
 */
import type { HealthStore } from '../storage/health-store.js';
import { compareIncidents } from '../storage/incident-store.js';
import { RESOLUTION_MS, type MetricsBucket, type MetricsQuery } from '../storage/metrics-store.js';
import { groupByComponent, histPercentile } from './metrics-math.js';
import { STATE_ORDER, worseState, type ComponentSnapshot, type ComponentState, type DayBar, type Incident, type StatusSnapshot, type TrafficPoint } from './types.js';

const DAY = RESOLUTION_MS.day;
export const SNAPSHOT_INTERVAL_MS = RESOLUTION_MS.quarter;
const POINTS = DAY / SNAPSHOT_INTERVAL_MS; // 96
export const HISTORY_DAYS = 90;
/** Resolved incidents shown (Statuspage's incidents.json lists the 50 most recent). */
export const INCIDENT_LIMIT = 50;

export interface LiveComponent {
  id: string;
  provider: string;
  model: string;
  state: ComponentState;
  since: number;
}

export interface SnapshotInput {
  store: HealthStore;
  /** Read buckets through this (a BucketCache) instead of the store directly. */
  read?: (q: MetricsQuery & { components: readonly string[] }) => Promise<MetricsBucket[]>;
  now: number;
  components: LiveComponent[];
  openIncidents: Incident[];
}

export async function buildStatusSnapshot({ store, read, now, components, openIncidents }: SnapshotInput): Promise<StatusSnapshot> {
  const today = Math.floor(now / DAY) * DAY;
  const firstDay = today - (HISTORY_DAYS - 1) * DAY;
  const lastSlot = Math.floor(now / SNAPSHOT_INTERVAL_MS) * SNAPSHOT_INTERVAL_MS;
  const firstSlot = lastSlot - (POINTS - 1) * SNAPSHOT_INTERVAL_MS;
  const ids = components.map((c) => c.id);
  const get = read ?? ((q) => store.metrics.read(q));
  const [days, quarters, stored] = await Promise.all([
    get({ resolution: 'day', from: firstDay, to: today + DAY, components: ids }),
    get({ resolution: 'quarter', from: firstSlot, to: lastSlot + SNAPSHOT_INTERVAL_MS, components: ids }),
    store.incidents.list(INCIDENT_LIMIT),
  ]);
  const daysBy = groupByComponent(days);
  const quartersBy = groupByComponent(quarters);
  const traffic: TrafficPoint[] = Array.from({ length: POINTS }, (_, i) => ({ at: firstSlot + i * SNAPSHOT_INTERVAL_MS, byProvider: {} }));
  const providers = new Set(components.map((c) => c.provider));
  for (const t of traffic) for (const p of providers) t.byProvider[p] = 0;

  const list: ComponentSnapshot[] = components.map((c) => {
    const byDay = new Map((daysBy.get(c.id) ?? []).map((b) => [b.start, b]));
    let up = 0;
    let observed = 0;
    const bars: DayBar[] = [];
    for (let d = firstDay; d <= today; d += DAY) {
      const b = byDay.get(d);
      const bar = dayBar(d, b);
      // Today is still running: the live state counts even before its minute closes.
      if (d === today && c.state !== 'operational') bar.worst = bar.worst === 'no_data' ? c.state : worseState(bar.worst, c.state);
      if (b) {
        up += b.stateMinutes[0];
        observed += b.stateMinutes.reduce((a, n) => a + n, 0);
      }
      bars.push(bar);
    }
    const bySlot = new Map((quartersBy.get(c.id) ?? []).map((b) => [b.start, b]));
    const errors24h = [];
    const latency24h = [];
    for (let i = 0; i < POINTS; i++) {
      const at = firstSlot + i * SNAPSHOT_INTERVAL_MS;
      const b = bySlot.get(at);
      // Error reports include probes: during an outage traffic is routed away and probes are what still sees it.
      errors24h.push({ at, requests: b ? b.requests + b.probes : 0, errors: b ? b.errors + b.probeErrors : 0 });
      latency24h.push({ at, p50: b ? histPercentile(b.ttftHist, 0.5) : null, p95: b ? histPercentile(b.ttftHist, 0.95) : null });
      if (b) traffic[i]!.byProvider[c.provider] = (traffic[i]!.byProvider[c.provider] ?? 0) + b.requests;
    }
    return {
      id: c.id,
      provider: c.provider,
      model: c.model,
      state: c.state,
      since: c.since,
      uptime90dPct: observed === 0 ? null : round2((100 * up) / observed),
      days: bars,
      errors24h,
      latency24h,
    };
  });

  const openIds = new Set(openIncidents.map((i) => i.id));
  const incidents = [...openIncidents, ...stored.filter((i) => !openIds.has(i.id))].sort(compareIncidents).slice(0, INCIDENT_LIMIT);
  const overall = list.reduce<ComponentState>((w, c) => worseState(w, c.state), 'operational');
  return { generatedAt: now, overall, intervalMs: SNAPSHOT_INTERVAL_MS, components: list, traffic24h: traffic, incidents };
}

function dayBar(start: number, b: MetricsBucket | undefined): DayBar {
  const day = new Date(start).toISOString().slice(0, 10);
  if (!b) return { day, worst: 'no_data', uptimePct: null, requests: 0, errors: 0 };
  const minutes = b.stateMinutes.reduce((a, n) => a + n, 0);
  let worst: DayBar['worst'] = 'no_data';
  for (let i = 3; i >= 0; i--) {
    if (b.stateMinutes[i]! > 0) {
      worst = STATE_ORDER[i]!;
      break;
    }
  }
  // Traffic but no closed minute yet (the first minute of a day): operational so far.
  if (worst === 'no_data' && b.requests + b.probes > 0) worst = 'operational';
  return { day, worst, uptimePct: minutes === 0 ? null : round2((100 * b.stateMinutes[0]) / minutes), requests: b.requests, errors: b.errors };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
