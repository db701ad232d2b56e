/**
 * GET /metrics: the gateway's Prometheus text (src/metrics). With `metrics.require_admin_key` the
 * scrape must carry the admin key (Prometheus: `authorization: { credentials: <admin key> }`),
 * since target names and traffic volumes tell an outsider more than a health check should.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { carriesAdminKey } from '../guard/admin-auth.js';
import type { Metrics } from '../metrics/metrics.js';
import { sendJson } from './respond.js';

/** `adminKey`: required when set. */
export async function handleMetrics(metrics: Metrics, adminKey: string | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.resume();
  if (adminKey !== undefined && !carriesAdminKey(req.headers, adminKey)) {
    return sendJson(res, 401, { error: { message: 'GET /metrics needs the admin key: Authorization: Bearer <admin key>.', type: 'authentication_error', code: 'invalid_admin_key' } }, { 'www-authenticate': 'Bearer' });
  }
  const text = await metrics.render();
  res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
