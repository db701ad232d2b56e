/**
 * The probe request: a one-token, non-streamed chat — the cheapest request
 * that exercises the same path real traffic takes (a models listing can be up
 * while chat completions fail: 2023-11-08, GET /v1/models stayed up).
 */
import type { ChatRequest } from '../core/request.js';
import { toGatewayError } from '../core/errors.js';
import type { Provider } from '../providers/types.js';
import type { ProbeFn } from '../health/probe-scheduler.js';
import { toPromise } from '../core/sink.js';

export const PROBE_TIMEOUT_MS = 15_000;

export function providerProbe(providers: ReadonlyMap<string, Provider>, timeoutMs = PROBE_TIMEOUT_MS): ProbeFn {
  return async ({ provider, model }) => {
    const p = providers.get(provider);
    if (!p) return { ok: false, kind: 'internal' };
    const req: ChatRequest = {
      model,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'ping' }] }],
      maxTokens: 1,
      stream: false,
      includeUsage: false,
    };
    const started = performance.now();
    try {
      await toPromise((to) => p.chat(req, model, { signal: AbortSignal.timeout(timeoutMs) }, to));
      return { ok: true, ttftMs: Math.round(performance.now() - started) };
    } catch (e) {
      const err = toGatewayError(e);
      return { ok: false, kind: err.kind, status: err.status };
    }
  };
}
