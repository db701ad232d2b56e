/** Incidents (detected and vendor-declared), kept for the status page's history. */
import type { Incident } from '../health/types.js';

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
