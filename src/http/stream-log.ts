/** What a streamed answer tells the log: a switch to another target, and an end that was not complete. */
import type { GatewayError } from '../core/errors.js';
import type { StreamMeta } from '../core/stream-event.js';
import type { AnswerObserver, AnswerOutcome } from '../routing/answer-stream.js';
import type { GatewayContext } from './context.js';

export class StreamLog implements AnswerObserver {
  constructor(
    private readonly ctx: GatewayContext,
    private readonly requestId: string,
    /** Disposed of when the answer is over (its timer goes). */
    private readonly deadline: { dispose(): void },
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
  }
}
