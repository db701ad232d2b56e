/**
 * GET /status/api/v2/{summary,status,components,incidents}.json and
 * incidents/unresolved.json: the status data in Statuspage v2 shape
 * (statuspage-v2.ts). Public, read-only, CORS-open like Statuspage's own API,
 * never cached by proxies so monitors see the present.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StatusSnapshot } from '../health/types.js';
import { emptyStatusSnapshot } from '../web/status/empty-snapshot.js';
import type { GatewayContext } from './context.js';
import { sendJson } from './respond.js';
import { configuredComponents } from './status-page.js';
import { v2Components, v2Incidents, v2Page, v2Status, v2Summary } from './statuspage-v2.js';

export type StatusApiDocument = 'summary' | 'status' | 'components' | 'incidents' | 'unresolved';

const HEADERS = { 'cache-control': 'no-cache', 'access-control-allow-origin': '*', 'x-content-type-options': 'nosniff' };

export async function handleStatusApi(ctx: GatewayContext, doc: StatusApiDocument, req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.resume();
  const now = ctx.clock.now();
  let s: StatusSnapshot;
  try {
    s = ctx.statusSource ? await ctx.statusSource.statusSnapshot(now) : emptyStatusSnapshot(configuredComponents(ctx), now);
  } catch (e) {
    ctx.logger.error({ err: e }, 'status snapshot failed');
    sendJson(res, 503, { error: { message: 'Health data is unavailable right now.', type: 'unavailable' } }, HEADERS);
    return;
  }
  const url = ctx.statusPage;
  const page = v2Page(s, url);
  let body: unknown;
  switch (doc) {
    case 'summary':
      body = v2Summary(s, url);
      break;
    case 'status':
      body = { page, status: v2Status(s) };
      break;
    case 'components':
      body = { page, components: v2Components(s) };
      break;
    case 'incidents':
      body = { page, incidents: v2Incidents(s.incidents, s, url) };
      break;
    case 'unresolved':
      body = { page, incidents: v2Incidents(s.incidents.filter((i) => i.resolvedAt === undefined), s, url) };
      break;
  }
  sendJson(res, 200, body, HEADERS);
}
