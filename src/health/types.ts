/**
 * The health read model shared by health tracking (producer), the status page
 * and JSON API (readers) and alerts (consumer of incident events).
 */

import type { ComponentState, Incident } from '../storage/incident-store.js';

// The records health persists are defined with their store (storage owns the shapes it keeps).
export type { ComponentState, Incident, IncidentStatus, IncidentUpdate } from '../storage/incident-store.js';

export const STATE_ORDER: readonly ComponentState[] = ['operational', 'degraded_performance', 'partial_outage', 'major_outage'];

export function worseState(a: ComponentState, b: ComponentState): ComponentState {
  return STATE_ORDER.indexOf(a) >= STATE_ORDER.indexOf(b) ? a : b;
}

/** One day of one component for the 90-day bar. */
export interface DayBar {
  /** UTC date, YYYY-MM-DD. */
  day: string;
  /** Worst state seen that day, or no_data when nothing was observed. */
  worst: ComponentState | 'no_data';
  /** Share of observed minutes that were operational (0..100), null without data. */
  uptimePct: number | null;
  requests: number;
  errors: number;
}

export interface ErrorPoint {
  /** Start of the interval, epoch ms. */
  at: number;
  requests: number;
  errors: number;
}

export interface LatencyPoint {
  at: number;
  /** Time to first token percentiles, ms; null without successful requests. */
  p50: number | null;
  p95: number | null;
}

export interface ComponentSnapshot {
  /** `provider/model` */
  id: string;
  provider: string;
  model: string;
  state: ComponentState;
  /** Epoch ms the current state began. */
  since: number;
  uptime90dPct: number | null;
  /** 90 entries, oldest first, ending today. */
  days: DayBar[];
  /** Last 24 h, fixed intervals (intervalMs on the snapshot), oldest first. */
  errors24h: ErrorPoint[];
  latency24h: LatencyPoint[];
}

export interface TrafficPoint {
  at: number;
  /** Requests served per provider in the interval. */
  byProvider: Record<string, number>;
}

export interface StatusSnapshot {
  generatedAt: number;
  /** Worst current component state. */
  overall: ComponentState;
  /** Interval of errors24h / latency24h / traffic24h points, ms. */
  intervalMs: number;
  components: ComponentSnapshot[];
  traffic24h: TrafficPoint[];
  /** Open incidents first, then resolved ones, newest first. */
  incidents: Incident[];
}

/** What alerts are sent for. */
export type AlertEvent =
  | { type: 'incident.opened' | 'incident.updated' | 'incident.resolved'; incident: Incident }
  | { type: 'credential.parked'; provider: string; model?: string; until: number; reason: string }
  | { type: 'test'; message: string };
