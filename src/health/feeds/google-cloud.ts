/**
 * Google Cloud's `https://status.cloud.google.com/incidents.json`: every
 * incident across all products, newest first, as
 * `[{ id, number, begin, created, end?, modified, external_desc, status_impact,
 * severity, service_key, service_name, affected_products: [{ title, id }], uri,
 * most_recent_update, updates: [{ created, modified, when, text, status, affected_locations }],
 * currently_affected_locations, previously_affected_locations }]`.
 * `status_impact` / update `status`: SERVICE_OUTAGE, SERVICE_DISRUPTION,
 * SERVICE_INFORMATION, and AVAILABLE once mitigated. An incident without `end`
 * is ongoing. Gemini API traffic is served by "Vertex Gemini API" and related
 * Vertex AI products, so only incidents naming a configured product count.
 */
import type { ComponentState, Incident, IncidentUpdate } from '../types.js';
import { DEFAULT_RECENT_MS, orderIncidents, rec, recs, str, time, vendorIncidentId, worst, type Json } from './read-json.js';
import { FeedParseError, type FeedResult, type ParseContext, type VendorComponent } from './types.js';

export const GOOGLE_CLOUD_STATUS_URL = 'https://status.cloud.google.com';
/** Case-insensitive substrings of product titles that concern Gemini traffic. */
export const DEFAULT_GEMINI_PRODUCTS = ['Gemini', 'Vertex AI', 'Generative AI'];

export function googleCloudState(v: unknown): ComponentState {
  switch (v) {
    case 'SERVICE_OUTAGE':
      return 'major_outage';
    case 'SERVICE_DISRUPTION':
      return 'partial_outage';
    case 'AVAILABLE':
      return 'operational';
    default:
      // SERVICE_INFORMATION and anything new: a notice, not an outage.
      return 'degraded_performance';
  }
}

export function parseGoogleCloud(doc: unknown, ctx: ParseContext & { products?: string[] }): FeedResult {
  if (!Array.isArray(doc)) {
    return { ok: false, error: new FeedParseError('google-cloud', 'unexpected_shape', 'expected a JSON array of incidents as in status.cloud.google.com/incidents.json') };
  }
  const wanted = (ctx.products ?? DEFAULT_GEMINI_PRODUCTS).map((p) => p.toLowerCase());
  const recentFrom = ctx.fetchedAt - (ctx.recentMs ?? DEFAULT_RECENT_MS);
  const components = new Map<string, VendorComponent>();
  const incidents: Incident[] = [];
  for (const raw of doc) {
    const i = rec(raw);
    if (!i) continue;
    const end = time(i.end);
    // Cheap cut first: the file holds years of history for every product.
    if (end !== undefined && end < recentFrom) continue;
    const products = matchingProducts(i, wanted);
    if (products.length === 0) continue;
    const inc = toIncident(i, products, end, ctx);
    if (!inc) continue;
    incidents.push(inc);
    for (const p of products) {
      const prev = components.get(p);
      const state = inc.status === 'resolved' ? 'operational' : inc.impact;
      components.set(p, { id: p, name: p, group: 'Google Cloud', state: prev ? worst([prev.state, state]) : state });
    }
  }
  const ongoing = incidents.filter((x) => x.status !== 'resolved');
  return {
    ok: true,
    status: {
      provider: ctx.provider,
      format: 'google-cloud',
      pageUrl: ctx.pageUrl ?? GOOGLE_CLOUD_STATUS_URL,
      indicator: worst(ongoing.map((x) => x.impact)),
      components: [...components.values()],
      incidents: orderIncidents(incidents, ctx.fetchedAt, ctx.recentMs),
      fetchedAt: ctx.fetchedAt,
    },
  };
}

function matchingProducts(i: Json, wanted: string[]): string[] {
  const titles = recs(i.affected_products).map((p) => str(p.title)).filter((t): t is string => t !== undefined);
  if (titles.length === 0 && str(i.service_name)) titles.push(str(i.service_name)!);
  return titles.filter((t) => wanted.some((w) => t.toLowerCase().includes(w)));
}

function toIncident(i: Json, products: string[], end: number | undefined, ctx: ParseContext): Incident | undefined {
  const id = str(i.id);
  const title = str(i.external_desc);
  const startedAt = time(i.begin) ?? time(i.created);
  if (!id || !title || startedAt === undefined) return undefined;
  const resolved = end !== undefined;
  const impact = googleCloudState(i.status_impact);
  // Google lists updates newest first.
  const updates: IncidentUpdate[] = recs(i.updates)
    .map((u): IncidentUpdate | undefined => {
      const at = time(u.when) ?? time(u.created);
      if (at === undefined) return undefined;
      const state = googleCloudState(u.status);
      return { at, status: state === 'operational' ? 'resolved' : 'investigating', state, message: str(u.text)?.trim() ?? '' };
    })
    .filter((u): u is IncidentUpdate => u !== undefined)
    .sort((a, b) => a.at - b.at);
  const out: Incident = {
    id: vendorIncidentId(ctx.provider, id),
    source: 'vendor',
    title: title.trim(),
    components: products,
    provider: ctx.provider,
    status: resolved ? 'resolved' : 'investigating',
    impact,
    startedAt,
    peakErrorRate: 0,
    updates,
  };
  if (resolved) out.resolvedAt = end;
  const uri = str(i.uri);
  if (uri) out.url = `${GOOGLE_CLOUD_STATUS_URL}/${uri.replace(/^\/+/, '')}`;
  return out;
}
