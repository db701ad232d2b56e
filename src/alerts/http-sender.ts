/**
 * The default AlertSender: one POST with undici and a per-delivery timeout.
 * Alerts use their own small Agent, not the upstream pool, so a slow webhook
 * receiver can never take connections from model traffic. undici's full entry
 * point (fetch, websockets, caches: some 10 MB of memory) is loaded at the
 * first alert, not at start: most gateways never send one.
 */
import type { Agent } from 'undici';
import type { AlertRequest, AlertResponse, AlertSender } from './types.js';

let undici: Promise<typeof import('undici')> | undefined;
let agent: Agent | undefined;

async function alertAgent(): Promise<{ agent: Agent; request: typeof import('undici').request }> {
  const u = await (undici ??= import('undici'));
  agent ??= new u.Agent({ connections: 4, keepAliveTimeout: 10_000, connect: { timeout: 10_000 } });
  return { agent, request: u.request };
}

export async function closeAlertAgent(): Promise<void> {
  const a = agent;
  agent = undefined;
  await a?.close();
}

export const httpAlertSender: AlertSender = async (req: AlertRequest): Promise<AlertResponse> => {
  const { agent, request } = await alertAgent();
  const res = await request(req.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'switchyard-alerts/1', ...req.headers },
    body: req.body,
    signal: AbortSignal.timeout(req.timeoutMs),
    dispatcher: agent,
  });
  // Drain so the socket returns to the pool; receivers' bodies are not used (and may echo secrets).
  await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
  const ra = res.headers['retry-after'];
  const out: AlertResponse = { status: res.statusCode };
  const retryAfter = Array.isArray(ra) ? ra[0] : ra;
  if (retryAfter !== undefined) out.retryAfter = retryAfter;
  return out;
};
