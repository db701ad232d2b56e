/**
 * What a streamed answer tells the gateway: the log hears a switch and an end that was not
 * complete; the journal keeps what the client got and commits before the end goes out; the
 * guard's reservation is settled with what the targets used.
 */
import type { GatewayError } from '../core/errors.js';
import type { Usage } from '../core/response.js';
import type { AttemptUsage, Reservation } from '../guard/reservation.js';
import type { StreamEvent, StreamMeta } from '../core/stream-event.js';
import type { ChatJournal } from './chat-journal.js';
import type { AnswerObserver, AnswerOutcome } from '../routing/answer-stream.js';
import type { GatewayContext, RequestScope } from './context.js';

export class StreamLog implements AnswerObserver {
  constructor(
    private readonly ctx: GatewayContext,
    private readonly scope: RequestScope,
    /** Disposed of when the answer is over (its timer goes). */
    private readonly deadline: { dispose(): void },
    private readonly reservation: Reservation | undefined,
    private readonly journal: ChatJournal | undefined,
  ) {}

  chunk(raw: Buffer | undefined, events: readonly StreamEvent[], format: string): void {
    this.journal?.chunk(raw, events, format);
  }

  switched(meta: StreamMeta, error: GatewayError, to: { provider: string; model: string }): void {
    this.ctx.logger.warn({ requestId: this.scope.id, from: meta.from, to: meta.to, reason: error.code }, 'stream resumed on another target');
    this.journal?.switched(error, to);
  }

  /** The journal commits the exchange before its last bytes go out. */
  ending(o: AnswerOutcome): Promise<unknown> | undefined {
    return this.journal?.end(o.ok ? 'complete' : 'cut', o.error);
  }

  end(o: AnswerOutcome): void {
    // A client gone mid-answer never saw an end: the exchange is kept as cut, without waiting.
    if (o.aborted) void this.journal?.end('cut', o.error);
    if (!o.ok && !o.aborted && o.error) {
      const e = o.error;
      this.scope.error = e;
      this.ctx.logger.warn({ requestId: this.scope.id, code: e.code, kind: e.kind, provider: o.target, message: this.ctx.redactor.text(e.message) }, 'stream failed after headers');
    }
    this.deadline.dispose();
    if (this.reservation) this.reservation.settle(usedBy(o.models, o.usage));
  }
}

/** What each target that served part of an answer used: the last reported its usage; a cut one is charged the estimate. */
export function usedBy(models: readonly string[], usage: Usage | undefined): AttemptUsage[] {
  return models.map((model, i) => (i === models.length - 1 && usage ? { model, usage } : { model }));
}
