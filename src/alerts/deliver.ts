/**
 * One delivery attempt to one target: render, POST, classify. Never throws;
 * the reason it returns is already scrubbed of the URL and header values.
 */
import type { AlertEvent } from '../health/types.js';
import { formatAlert } from './formats/index.js';
import { scrubSecrets } from './mask-url.js';
import { isRetryableStatus } from './retry-policy.js';
import type { AlertSender, AlertTarget, FormatContext } from './types.js';

export interface AttemptResult {
  ok: boolean;
  /** HTTP status when the receiver answered. */
  status?: number;
  /** Why it failed, safe to print. */
  reason?: string;
  retryable: boolean;
  retryAfter?: string;
}

export async function deliverOnce(
  target: AlertTarget,
  event: AlertEvent,
  ctx: FormatContext,
  send: AlertSender,
  timeoutMs: number,
): Promise<AttemptResult> {
  let body: string;
  try {
    body = JSON.stringify(formatAlert(target.type, event, ctx));
  } catch (e) {
    return { ok: false, retryable: false, reason: `cannot render the alert: ${scrubSecrets(String(e), target.url, target.headers)}` };
  }
  try {
    const res = await send({ url: target.url, headers: target.headers, body, timeoutMs });
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, retryable: false };
    const out: AttemptResult = { ok: false, status: res.status, retryable: isRetryableStatus(res.status), reason: `HTTP ${res.status}` };
    if (res.retryAfter !== undefined) out.retryAfter = res.retryAfter;
    return out;
  } catch (e) {
    return { ok: false, retryable: true, reason: describeError(e, target, timeoutMs) };
  }
}

function describeError(e: unknown, target: AlertTarget, timeoutMs: number): string {
  const err = e as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError' || err?.code === 'UND_ERR_ABORTED') return `timed out after ${timeoutMs} ms`;
  const code = err?.code ?? err?.cause?.code;
  const message = err?.message ?? String(e);
  return scrubSecrets(code && !message.includes(code) ? `${code}: ${message}` : message, target.url, target.headers);
}
