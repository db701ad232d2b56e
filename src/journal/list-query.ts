/**
 * The conversation list's filters as people type them (the HTTP query string
 * and the CLI's flags read the same words): key, alias, from, to, q, limit,
 * after. Times are ISO 8601 dates or Unix seconds (or milliseconds).
 */
import { invalidRequest } from '../core/errors.js';
import type { ConversationFilter } from '../storage/journal-store.js';

export const DEFAULT_LIST_LIMIT = 20;
export const MAX_LIST_LIMIT = 100;

export interface ListParams {
  key?: string | undefined;
  alias?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
  limit?: string | undefined;
  after?: string | undefined;
}

/** Who is asking: an admin sees every key's conversations, anyone else only their own key's. */
export interface JournalViewer {
  keyId?: string;
  admin: boolean;
}

export function parseTime(value: string, param: string): number {
  const v = value.trim();
  if (/^\d{1,15}$/.test(v)) {
    const n = Number(v);
    // Below 1e11 it can only be seconds (1e11 ms is 1973).
    return n < 1e11 ? n * 1000 : n;
  }
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw invalidRequest(`Invalid '${param}': expected an ISO 8601 date like 2024-12-11 or 2024-12-11T23:00:00Z, or Unix seconds.`, param);
  return t;
}

export function listFilter(p: ListParams, viewer: JournalViewer, maxLimit = MAX_LIST_LIMIT): ConversationFilter {
  let limit = DEFAULT_LIST_LIMIT;
  if (p.limit !== undefined) {
    limit = /^\d+$/.test(p.limit.trim()) ? Number(p.limit) : NaN;
    if (!(limit >= 1 && limit <= maxLimit)) throw invalidRequest(`Invalid 'limit': expected a whole number from 1 to ${maxLimit}.`, 'limit');
  }
  const f: ConversationFilter = { limit };
  // Not an admin: only the viewer's own key, whatever `key` says (a key without an id sees the keyless ones).
  if (!viewer.admin) f.keyId = viewer.keyId ?? null;
  else if (p.key !== undefined && p.key !== '') f.keyId = p.key;
  if (p.alias !== undefined && p.alias !== '') f.alias = p.alias;
  if (p.from !== undefined && p.from !== '') f.from = parseTime(p.from, 'from');
  if (p.to !== undefined && p.to !== '') f.to = parseTime(p.to, 'to');
  if (p.q !== undefined && p.q.trim() !== '') f.search = p.q;
  if (p.after !== undefined && p.after !== '') f.cursor = p.after;
  return f;
}
