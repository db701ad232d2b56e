/**
 * A model request's end, as metrics and traces see it: one call when the response closes, beside
 * the access line (the same scope object, nothing built per request but the label values).
 */
import type { GatewayError } from '../core/errors.js';
import type { Metrics } from '../metrics/metrics.js';
import type { Target } from '../routing/route-table.js';
import type { RequestSpan } from '../telemetry/tracer.js';
import type { AccessEntry } from './logger.js';

export interface ObservedRequest extends AccessEntry {
  /** The client format of a model route; undefined for the others (health, status, admin, /metrics). */
  ingress?: string | undefined;
  alias?: string | undefined;
  answeredBy?: Target | undefined;
  error?: GatewayError | undefined;
  firstTokenMs?: number | undefined;
  trace?: RequestSpan | undefined;
}

/** The access line, then (model routes only) the request's metrics and the end of its span. */
export function observeRequests(log: (e: AccessEntry) => void, metrics: Metrics | undefined): (e: ObservedRequest) => void {
  return (e) => {
    log(e);
    if (e.ingress === undefined) return;
    const outcome = outcomeOf(e);
    const t = e.answeredBy;
    if (metrics) {
      metrics.request({
        alias: e.alias ?? 'unknown',
        ingress: e.ingress,
        outcome,
        durationMs: e.ms,
        ...(e.firstTokenMs === undefined ? {} : { ttftMs: e.firstTokenMs }),
        ...(t ? { providerType: t.provider.type, model: t.model } : {}),
        ...(e.ingress === 'openai-embeddings' ? { operation: 'embeddings' } : {}),
      });
    }
    if (e.trace) {
      if (e.alias !== undefined) e.trace.attributes['gen_ai.request.model'] = e.alias;
      e.trace.end(e.status, outcome === 'ok' ? undefined : outcome, e.alias === undefined ? undefined : `chat ${e.alias}`);
    }
  };
}

/** 'ok', 'aborted' (the client went away), 'shed', or the error's kind (rate_limited, timeout, client_error...). */
function outcomeOf(e: ObservedRequest): string {
  if (e.aborted) return 'aborted';
  const err = e.error;
  if (err) return err.code === 'gateway_overloaded' ? 'shed' : err.kind;
  return e.status < 400 ? 'ok' : 'error';
}
