/**
 * One chat exchange as the journal keeps it (issue #26): what the client asked, every attempt
 * (the failed ones, the one that answered, a continuation marked where it joined), and the answer
 * exactly as the client received it — bytes for pass-through, events for translated answers,
 * decoded and redacted later by the journal's writer, off the request path.
 */
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../core/clock.js';
import type { GatewayError } from '../core/errors.js';
import type { ChatRequest } from '../core/request.js';
import type { StreamEvent } from '../core/stream-event.js';
import type { FormatName } from '../formats/types.js';
import { conversationHeader, type JournalCapture } from '../journal/capture.js';
import type { Journal } from '../journal/journal.js';
import type { CommitOutcome } from '../journal/journal-writer.js';
import type { CapturedResponses, ExchangeStatus } from '../journal/types.js';
import type { ChatResult } from '../providers/types.js';
import type { AttemptRecord } from '../routing/no-target-error.js';

export interface JournalStart {
  req: IncomingMessage;
  requestId: string;
  alias: string;
  keyId: string | undefined;
  /** The key's own choice (its metadata `journal: on|off`), over the alias list. */
  keyJournal: boolean | undefined;
  /** The key's own retention (its metadata `journal_retention_days`), over the configuration's. */
  retentionDays?: number;
  ingress: FormatName;
  /** The client's own request, as decoded (before a stored conversation is put in front of it). */
  request: ChatRequest;
  requestBytes: number;
  responses?: CapturedResponses;
}

export class ChatJournal {
  private constructor(
    private readonly journal: Journal,
    private readonly capture: JournalCapture,
    private readonly clock: Clock,
  ) {}

  /** A capture for this exchange, when the journal wants it. */
  static start(journal: Journal | undefined, clock: Clock, s: JournalStart): ChatJournal | undefined {
    if (!journal?.wants(s.alias, s.keyJournal)) return undefined;
    const conversation = conversationHeader(s.req.headers['x-switchyard-conversation']);
    const capture = journal.capture({
      requestId: s.requestId,
      alias: s.alias,
      ingress: s.ingress,
      request: s.request,
      startedAt: clock.now(),
      requestBytes: s.requestBytes,
      ...(s.keyId === undefined ? {} : { keyId: s.keyId }),
      ...(s.retentionDays === undefined ? {} : { retentionDays: s.retentionDays }),
      ...(conversation === undefined ? {} : { conversation }),
      ...(s.responses ? { responses: s.responses } : {}),
    });
    return new ChatJournal(journal, capture, clock);
  }

  /** The attempts the router made: those that failed before any byte reached the client, then (when one answered) the answering one. */
  attempts(records: readonly AttemptRecord[]): void {
    const now = this.clock.now();
    for (const r of records) {
      const [provider, model] = splitLabel(r.target);
      this.capture.attempt(provider, model, now);
      if (r.error) this.capture.failed(r.error.code, false, now);
    }
  }

  /** A whole answer: the bytes the client got (pass-through) or the response it was translated from. */
  answer(result: ChatResult, passthrough: boolean): void {
    if (passthrough) this.capture.body(result.format, result.raw);
    else this.capture.response(result.response);
  }

  /** Part of a streamed answer, as the client got it. */
  chunk(raw: Buffer | undefined, events: readonly StreamEvent[], format: string): void {
    if (raw) this.capture.bytes(format as FormatName, raw);
    else if (events.length > 0) this.capture.events(events);
  }

  /** The stream continued on another target after `error` cut the previous one mid-answer. */
  switched(error: GatewayError, to: { provider: string; model: string }): void {
    const now = this.clock.now();
    this.capture.failed(error.code, true, now);
    this.capture.attempt(to.provider, to.model, now, true);
  }

  /** The exchange is over: hand it to the writer; resolves once it is durable (or the wait bound passed). */
  end(status: ExchangeStatus, error?: GatewayError): Promise<CommitOutcome> {
    const now = this.clock.now();
    if (error && status !== 'complete') this.capture.failed(error.code, status === 'cut', now);
    this.capture.end(status, now);
    return this.journal.commit(this.capture);
  }
}

/** `provider/model` (provider names hold no slash; model ids may). */
function splitLabel(label: string): [string, string] {
  const i = label.indexOf('/');
  return i === -1 ? [label, ''] : [label.slice(0, i), label.slice(i + 1)];
}
