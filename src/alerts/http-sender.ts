/**
 * The default AlertSender: one POST with undici and a per-delivery timeout.
 * Alerts use their own small Agent, not the upstream pool, so a slow webhook
 * receiver can never take connections from model traffic. undici's full entry
 * point (fetch, websockets, caches: some 10 MB of memory) is loaded at the
 * first alert, not at start: most gateways never send one.
 */
import type { Agent } from 'undici';
import type { AlertRequest, AlertResponse, AlertSender } from './types.js';

/** An AlertSender with the connections it opened, to close when its owner is done. */
export type ClosableAlertSender = AlertSender & { close(): Promise<void> };

/** A sender with an Agent of its own (made at its first alert): one per dispatcher, never shared. */
export function createHttpAlertSender(): ClosableAlertSender {
  let agent: Agent | undefined;
  let request: typeof import('undici').request | undefined;
  const send = async (req: AlertRequest): Promise<AlertResponse> => {
    if (!agent || !request) {
      const u = await import('undici');
      request = u.request;
      agent ??= new u.Agent({ connections: 4, keepAliveTimeout: 10_000, connect: { timeout: 10_000 } });
    }
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
  return Object.assign(send, {
    close: async () => {
      const a = agent;
      agent = undefined;
      await a?.close();
    },
  });
}
