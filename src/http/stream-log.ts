/**
 * What a streamed answer tells the gateway when it is over: the log hears a switch and an end that
 * was not complete; the guard's reservation is settled with what the targets used.
 */
import type { GatewayError } from '../core/errors.js';
import type { Usage } from '../core/response.js';
import type { AttemptUsage, Reservation } from '../guard/reservation.js';
import type { StreamMeta } from '../core/stream-event.js';
import type { AnswerObserver, AnswerOutcome } from '../routing/answer-stream.js';
import type { GatewayContext } from './context.js';

export class StreamLog implements AnswerObserver {
  constructor(
    private readonly ctx: GatewayContext,
    private readonly requestId: string,
    /** Disposed of when the answer is over (its timer goes). */
    private readonly deadline: { dispose(): void },
    private readonly reservation: Reservation | undefined,
  ) {}

  switched(meta: StreamMeta, error: GatewayError): void {
    this.ctx.logger.warn({ requestId: this.requestId, from: meta.from, to: meta.to, reason: error.code }, 'stream resumed on another target');
  }

  end(o: AnswerOutcome): void {
    if (!o.ok && !o.aborted && o.error) {
      const e = o.error;
      this.ctx.logger.warn({ requestId: this.requestId, code: e.code, kind: e.kind, provider: o.target, message: this.ctx.redactor.text(e.message) }, 'stream failed after headers');
    }
    this.deadline.dispose();
    if (this.reservation) void this.reservation.settle(usedBy(o.models, o.usage));
  }
}

/** What each target that served part of an answer used: the last reported its usage; a cut one is charged the estimate. */
export function usedBy(models: readonly string[], usage: Usage | undefined): AttemptUsage[] {
  return models.map((model, i) => (i === models.length - 1 && usage ? { model, usage } : { model }));
}
