/**
 * The generic webhook body: a documented, versioned JSON shape that receivers
 * can rely on. Fields are only ever added within a version.
 *
 * ```jsonc
 * {
 *   "version": 1,
 *   "event": "incident.opened",        // incident.opened | incident.updated | incident.resolved | credential.parked | test
 *   "sent_at": "2024-12-11T23:16:00.000Z",
 *   "summary": "Switchyard detected major outage on openai/gpt-4o ...",
 *   "status_url": "https://gw.example.com/status",           // when server.public_url is set
 *   "incident": {                                            // incident.* events only
 *     "id": "inc_…", "source": "switchyard" | "vendor", "title": "…", "provider": "openai",
 *     "components": ["openai/gpt-4o"], "status": "investigating", "impact": "major_outage",
 *     "started_at": "…", "resolved_at": "…" | null, "duration_s": 1234,
 *     "peak_error_rate": 0.62, "url": "…" | null,
 *     "updates": [{ "at": "…", "status": "investigating", "state": "major_outage", "message": "…" }]
 *   },
 *   "credential": { "provider": "openai", "model": "gpt-4o" | null, "until": "…", "reason": "…" },  // credential.parked only
 *   "message": "…"                                           // test only
 * }
 * ```
 */
import type { AlertEvent, Incident } from '../../health/types.js';
import type { FormatContext } from '../types.js';
import { incidentDurationMs, iso, summary } from './describe.js';

export const WEBHOOK_BODY_VERSION = 1;

export interface WebhookIncident {
  id: string;
  source: Incident['source'];
  title: string;
  provider: string;
  components: string[];
  status: Incident['status'];
  impact: Incident['impact'];
  started_at: string;
  resolved_at: string | null;
  duration_s: number;
  peak_error_rate: number;
  url: string | null;
  updates: { at: string; status: string; state: string; message: string }[];
}

export interface WebhookBody {
  version: typeof WEBHOOK_BODY_VERSION;
  event: AlertEvent['type'];
  sent_at: string;
  summary: string;
  status_url?: string;
  incident?: WebhookIncident;
  credential?: { provider: string; model: string | null; until: string; reason: string };
  message?: string;
}

export function webhookBody(event: AlertEvent, ctx: FormatContext): WebhookBody {
  const body: WebhookBody = {
    version: WEBHOOK_BODY_VERSION,
    event: event.type,
    sent_at: iso(ctx.now),
    summary: summary(event, ctx.now),
  };
  if (ctx.statusUrl) body.status_url = ctx.statusUrl;
  switch (event.type) {
    case 'incident.opened':
    case 'incident.updated':
    case 'incident.resolved':
      body.incident = incidentJson(event.incident, ctx.now);
      break;
    case 'credential.parked':
      body.credential = { provider: event.provider, model: event.model ?? null, until: iso(event.until), reason: event.reason };
      break;
    case 'test':
      body.message = event.message;
      break;
  }
  return body;
}

function incidentJson(i: Incident, now: number): WebhookIncident {
  return {
    id: i.id,
    source: i.source,
    title: i.title,
    provider: i.provider,
    components: [...i.components],
    status: i.status,
    impact: i.impact,
    started_at: iso(i.startedAt),
    resolved_at: i.resolvedAt === undefined ? null : iso(i.resolvedAt),
    duration_s: Math.round(incidentDurationMs(i, now) / 1000),
    peak_error_rate: i.peakErrorRate,
    url: i.url ?? null,
    updates: i.updates.map((u) => ({ at: iso(u.at), status: u.status, state: u.state, message: u.message })),
  };
}
