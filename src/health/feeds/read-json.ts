/**
 * Defensive readers for untrusted feed JSON: a vendor can change a field's
 * type any day, and a status feed must never crash the gateway. Each returns
 * undefined (or []) for anything that is not what was asked for.
 */
import { STATE_ORDER, type ComponentState, type Incident, type IncidentStatus } from '../types.js';

export type Json = Record<string, unknown>;

export function rec(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

export function recs(v: unknown): Json[] {
  return Array.isArray(v) ? v.map(rec).filter((x): x is Json => x !== undefined) : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** ISO 8601 or JavaScript Date strings (Instatus writes `Sat Jun 11 2022 18:55:50 GMT+0000 (...)`). */
export function time(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  const s = str(v);
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

export function worst(states: Iterable<ComponentState>): ComponentState {
  let w = 0;
  for (const s of states) w = Math.max(w, STATE_ORDER.indexOf(s));
  return STATE_ORDER[w]!;
}

export function incidentStatus(v: unknown): IncidentStatus {
  const s = str(v)?.toLowerCase();
  if (s === 'identified' || s === 'monitoring' || s === 'investigating') return s;
  // Statuspage's postmortem and incident.io's closed states come after resolution.
  if (s === 'resolved' || s === 'postmortem' || s === 'completed' || s === 'closed') return 'resolved';
  return 'investigating';
}

export const DEFAULT_RECENT_MS = 7 * 24 * 3600_000;

/** Ongoing first, then resolved, newest first within each; resolved ones older than the window dropped. */
export function orderIncidents(list: Incident[], now: number, recentMs = DEFAULT_RECENT_MS): Incident[] {
  return list
    .filter((i) => i.status !== 'resolved' || (i.resolvedAt ?? i.startedAt) >= now - recentMs)
    .sort((a, b) => Number(a.status === 'resolved') - Number(b.status === 'resolved') || b.startedAt - a.startedAt);
}

export function vendorIncidentId(provider: string, id: string): string {
  return `vendor:${provider}:${id}`;
}
