/**
 * The friendly failure: when no target could serve, one error that says what
 * happened, which targets were tried and why, when to retry, and where the
 * status page is (DESIGN.md).
 */
import { GatewayError } from '../core/errors.js';

export interface AttemptRecord {
  target: string;
  error?: GatewayError;
}

/** Thrown when no target served; carries every attempt for the friendly error. */
export class NoTargetError extends GatewayError {
  constructor(
    readonly route: string,
    readonly attempts: AttemptRecord[],
    statusPage?: string,
    retryAfterMs?: number,
  ) {
    super(summarize(route, attempts, statusPage, retryAfterMs));
  }
}

function summarize(route: string, attempts: AttemptRecord[], statusPage?: string, retryAfterOverride?: number): ConstructorParameters<typeof GatewayError>[0] {
  const errors = attempts.map((a) => a.error!).filter(Boolean);
  const statuses = new Set(errors.map((e) => e.status));
  const status = statuses.size === 1 ? errors[0]!.status : 503;
  const waits = errors.map((e) => e.retryAfterMs).filter((ms): ms is number => ms !== undefined);
  const retryAfterMs = retryAfterOverride ?? (waits.length > 0 ? Math.min(...waits) : 1000);
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
