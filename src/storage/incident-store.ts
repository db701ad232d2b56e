/** Incidents (detected and vendor-declared), kept for the status page's history. */

/** Atlassian Statuspage's component states, so existing monitors understand them. */
export type ComponentState = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage';

export type IncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved';

export interface IncidentUpdate {
  at: number;
  status: IncidentStatus;
  state: ComponentState;
  message: string;
}

export interface Incident {
  id: string;
  /** Detected by this gateway, or declared by the vendor on its status page/feed. */
  source: 'switchyard' | 'vendor';
  title: string;
  /** Component ids (`provider/model`), or the vendor's component names for vendor incidents. */
  components: string[];
  provider: string;
  status: IncidentStatus;
  /** Worst state during the incident. */
  impact: ComponentState;
  startedAt: number;
  resolvedAt?: number;
  /** Highest per-minute error rate seen (0..1). */
  peakErrorRate: number;
  updates: IncidentUpdate[];
  /** Vendor incidents: link to the vendor's page. */
  url?: string;
}

export interface IncidentStore {
  /** Insert or replace by id. */
  upsert(incident: Incident): Promise<void>;
  get(id: string): Promise<Incident | undefined>;
  /** Open incidents first (newest first), then resolved ones newest first; at most `limit`. */
  list(limit: number): Promise<Incident[]>;
  /** Incidents without resolvedAt. */
  listOpen(): Promise<Incident[]>;
  /** Drop resolved incidents that ended before `before`. */
  prune(before: number): Promise<void>;
}

/** The order list() returns: open first, then by start, newest first. */
export function compareIncidents(a: Incident, b: Incident): number {
  const ao = a.resolvedAt === undefined ? 0 : 1;
  const bo = b.resolvedAt === undefined ? 0 : 1;
  if (ao !== bo) return ao - bo;
  return b.startedAt - a.startedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
