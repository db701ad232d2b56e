/**
 * Ordered failover across a route's targets, before any byte reached the
 * client. Client errors stop at once (never the provider's fault, DESIGN.md);
 * everything else moves to the next target. Issue #4 (the failover engine)
 * adds deadlines, budgets, breakers and limits around this same loop.
 */
import { GatewayError, toGatewayError } from '../core/errors.js';
import type { Route, Target } from './route-table.js';

export interface AttemptRecord {
  target: string;
  error?: GatewayError;
}

export interface FailoverOutcome<T> {
  value: T;
  target: Target;
  attempts: AttemptRecord[];
}

/** Thrown when no target served; carries every attempt for the friendly error. */
export class NoTargetError extends GatewayError {
  constructor(
    readonly route: string,
    readonly attempts: AttemptRecord[],
    statusPage?: string,
  ) {
    super(summarize(route, attempts, statusPage));
  }
}

function stopsFailover(e: GatewayError): boolean {
  return e.kind === 'client_error' || e.kind === 'auth' || e.code === 'request_aborted';
}

export async function failover<T>(route: Route, attempt: (t: Target) => Promise<T>, statusPage?: string): Promise<FailoverOutcome<T>> {
  const attempts: AttemptRecord[] = [];
  for (const target of route.targets) {
    try {
      const value = await attempt(target);
      attempts.push({ target: target.label });
      return { value, target, attempts };
    } catch (e) {
      const err = toGatewayError(e);
      attempts.push({ target: target.label, error: err });
      if (stopsFailover(err)) throw err;
    }
  }
  // One target failed: its own error, meaning intact. Several: a summary.
  if (attempts.length === 1) throw attempts[0]!.error!;
  throw new NoTargetError(route.alias, attempts, statusPage);
}

function summarize(route: string, attempts: AttemptRecord[], statusPage?: string): ConstructorParameters<typeof GatewayError>[0] {
  const errors = attempts.map((a) => a.error!).filter(Boolean);
  const statuses = new Set(errors.map((e) => e.status));
  const status = statuses.size === 1 ? errors[0]!.status : 503;
  const waits = errors.map((e) => e.retryAfterMs).filter((ms): ms is number => ms !== undefined);
  const retryAfterMs = waits.length > 0 ? Math.min(...waits) : 1000;
  const tried = attempts.map((a) => `${a.target}: ${a.error?.message ?? 'ok'}`).join('; ');
  const where = statusPage ? ` Provider status: ${statusPage}` : '';
  return {
    code: 'no_target_available',
    message: `No provider could serve model '${route}' right now. Tried ${attempts.length} targets — ${tried}. Retry after ${Math.ceil(retryAfterMs / 1000)}s.${where}`,
    status,
    kind: statuses.size === 1 && errors[0]!.kind === 'rate_limited' ? 'rate_limited' : 'unavailable',
    retryable: false,
    retryAfterMs,
  };
}
