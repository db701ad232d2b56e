/**
 * Hedged attempts (Dean & Barroso, "The Tail at Scale"): when the first
 * attempt has produced no first token after the route's p95, start one more on
 * another target; the first to answer wins and the loser is cancelled, so the
 * upstream sees the abort and stops spending on it. Hedges count against the
 * retry budget (the caller's `next` withdraws from it).
 */
import { Cancel, type SignalLike } from '../core/cancel.js';
import type { Clock } from '../core/clock.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import type { AttemptRecord } from './no-target-error.js';
import type { Lease } from './router.js';
import type { Target } from './route-table.js';

export interface HedgePlan {
  delayMs: number;
  next(): Lease | undefined;
}

function lostError(): GatewayError {
  return new GatewayError({ code: 'hedge_lost', message: 'cancelled: another target answered first', status: 499, kind: 'cut', retryable: false });
}

export function hedgedAttempt<T>(
  primary: Lease,
  fn: (target: Target, signal: SignalLike) => Promise<T>,
  plan: HedgePlan,
  clock: Clock,
  opts: { signal: SignalLike; discard?: (value: T) => void },
): Promise<{ value: T; lease: Lease; losers: AttemptRecord[] }> {
  return new Promise((resolve, reject) => {
    const racers: { lease: Lease; ctrl: Cancel; failed: boolean }[] = [];
    let settled = false;
    let timerPending = true;
    let lastError: GatewayError | undefined;

    const onParentAbort = () => racers.forEach((r) => r.ctrl.abort(opts.signal.reason));
    opts.signal.addEventListener('abort', onParentAbort, { once: true });
    const cleanup = () => {
      if (timerPending) clock.clearTimeout(timer);
      timerPending = false;
      opts.signal.removeEventListener('abort', onParentAbort);
    };
    const maybeReject = () => {
      if (!settled && !timerPending && racers.every((r) => r.failed)) {
        settled = true;
        cleanup();
        reject(lastError);
      }
    };

    const start = (lease: Lease) => {
      const racer = { lease, ctrl: new Cancel(), failed: false };
      racers.push(racer);
      fn(lease.target, racer.ctrl.signal).then(
        (value) => {
          if (settled) {
            opts.discard?.(value);
            lease.settle({ ok: 'neutral' });
            return;
          }
          settled = true;
          cleanup();
          const losers: AttemptRecord[] = [];
          for (const r of racers) {
            if (r === racer || r.failed) continue;
            r.ctrl.abort(lostError());
            r.lease.settle({ ok: 'neutral' });
            losers.push({ target: r.lease.target.label, error: lostError() });
          }
          resolve({ value, lease, losers });
        },
        (e: unknown) => {
          if (settled) return;
          racer.failed = true;
          lastError = toGatewayError(e);
          lease.settle({ ok: false, error: lastError });
          // The primary failed before the hedge timer: let the normal failover loop take over.
          if (racers.length === 1 && timerPending) {
            cleanup();
            settled = true;
            reject(lastError);
            return;
          }
          maybeReject();
        },
      );
    };

    const timer = clock.setTimeout(() => {
      timerPending = false;
      if (settled) return;
      const lease = plan.next();
      if (lease) start(lease);
      else maybeReject();
    }, plan.delayMs);
    start(primary);
  });
}
