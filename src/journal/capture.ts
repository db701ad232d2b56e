/**
 * The one object the request path fills for the journal: references to what it
 * already has (the decoded request, the canonical response or events) and, for
 * pass-through streams, a copy of the bytes it forwarded. Nothing is decoded,
 * hashed, redacted or serialised here; the writer does all of that off the
 * request path (issue #26).
 */
import type { ChatResponse } from '../core/response.js';
import type { StreamEvent } from '../core/stream-event.js';
import type { FormatName } from '../formats/types.js';
import type { CapturedAttempt, CapturedExchange, ExchangeStatus } from './types.js';

/** Answer bytes kept per exchange at most; past it the record says `truncated`. A streamed image is a few MiB. */
export const MAX_CAPTURE_BYTES = 16 * 1024 * 1024;
const FIRST_CHUNK = 4096;

/** What a capture starts with: the exchange's own fields known before the answer, and the client's body size. */
export type CaptureInit = Pick<CapturedExchange, 'requestId' | 'alias' | 'keyId' | 'ingress' | 'request' | 'conversation' | 'startedAt' | 'retentionDays' | 'responses'> & {
  /** The client's body size: the queue's byte bound counts it (walking the messages would cost the hot path). */
  requestBytes: number;
};

export class JournalCapture {
  readonly init: CaptureInit;
  private readonly attempts: CapturedAttempt[] = [];
  private current: CapturedAttempt | undefined;
  /**
   * Pass-through stream bytes of the current attempt: copies in a buffer of their own (a view
   * would pin the socket's read buffer), which the writer moves to its thread without copying.
   */
  private raw: Buffer | undefined;
  private rawSize = 0;
  private rawFormat: FormatName | undefined;
  private keptBytes = 0;
  private truncated = false;
  private status: ExchangeStatus | undefined;
  private finishedAt = 0;

  constructor(init: CaptureInit) {
    this.init = init;
  }

  /** Bytes this capture holds, for the writer's bound. */
  get size(): number {
    return this.init.requestBytes + this.keptBytes;
  }

  /** A new upstream attempt starts; `continues` when it resumes the previous attempt's partial answer. */
  attempt(provider: string, model: string, at: number, continues = false): void {
    this.closeRaw();
    this.current = { provider, model, startedAt: at, outcome: 'ok' };
    if (continues) this.current.continues = true;
    this.attempts.push(this.current);
  }

  /** A translated JSON answer, as encoded for the client. */
  response(res: ChatResponse): void {
    if (this.current) this.current.answer = { kind: 'response', response: res };
  }

  /** A pass-through JSON body, exactly the bytes the client got (copied: the copy can move to the writer's thread). */
  body(format: FormatName, bytes: Uint8Array): void {
    if (!this.current) return;
    if (this.keptBytes + bytes.length > MAX_CAPTURE_BYTES) {
      this.truncated = true;
      return;
    }
    const own = Buffer.allocUnsafeSlow(bytes.length);
    own.set(bytes);
    this.current.answer = { kind: 'body', format, bytes: own, own: true };
    this.keptBytes += bytes.length;
  }

  /** Events of a translated stream, as handed to the client's encoder (the arrays are kept, not copied). */
  events(events: readonly StreamEvent[]): void {
    const a = this.current;
    if (!a) return;
    if (a.answer?.kind !== 'events') a.answer = { kind: 'events', events: [] };
    const list = a.answer.events;
    for (let i = 0; i < events.length; i++) list.push(events[i]!);
  }

  /** Bytes of a pass-through stream, as forwarded to the client. */
  bytes(format: FormatName, chunk: Uint8Array): void {
    if (!this.current || chunk.length === 0) return;
    if (this.keptBytes + chunk.length > MAX_CAPTURE_BYTES) {
      this.truncated = true;
      return;
    }
    this.rawFormat = format;
    const need = this.rawSize + chunk.length;
    if (!this.raw || need > this.raw.length) {
      const next = Buffer.allocUnsafeSlow(Math.max(need, this.raw ? this.raw.length * 2 : FIRST_CHUNK));
      if (this.raw) this.raw.copy(next, 0, 0, this.rawSize);
      this.raw = next;
    }
    this.raw.set(chunk, this.rawSize);
    this.rawSize = need;
    this.keptBytes += chunk.length;
  }

  /** The current attempt failed: `cut` when part of its answer had reached the client. */
  failed(code: string, cut: boolean, at: number): void {
    const a = this.current;
    if (!a) return;
    a.outcome = cut ? 'cut' : 'failed';
    a.errorCode = code;
    a.endedAt = at;
  }

  /** The exchange is over; `status` as the client saw it (a client that went away mid-answer: 'cut'). */
  end(status: ExchangeStatus, at: number): void {
    const a = this.current;
    if (a && a.endedAt === undefined) a.endedAt = at;
    this.closeRaw();
    this.status = status;
    this.finishedAt = at;
  }

  /** The plain record the writer takes (cloned as it is into the writer's thread). */
  toRecord(): CapturedExchange {
    this.closeRaw();
    const i = this.init;
    const rec: CapturedExchange = {
      requestId: i.requestId,
      alias: i.alias,
      ingress: i.ingress,
      request: i.request,
      startedAt: i.startedAt,
      finishedAt: this.finishedAt || i.startedAt,
      status: this.status ?? inferStatus(this.attempts),
      retentionDays: i.retentionDays,
      attempts: this.attempts,
    };
    if (i.keyId !== undefined) rec.keyId = i.keyId;
    if (i.conversation !== undefined) rec.conversation = i.conversation;
    if (i.responses) rec.responses = i.responses;
    if (this.truncated) rec.truncated = true;
    return rec;
  }

  private closeRaw(): void {
    if (!this.raw || !this.current || !this.rawFormat) return;
    this.current.answer = { kind: 'stream', format: this.rawFormat, bytes: this.raw.subarray(0, this.rawSize), own: true };
    this.raw = undefined;
    this.rawSize = 0;
  }
}

function inferStatus(attempts: CapturedAttempt[]): ExchangeStatus {
  const last = attempts[attempts.length - 1];
  if (!last) return 'failed';
  if (last.outcome === 'ok') return 'complete';
  return attempts.some((a) => a.outcome === 'cut' || (a.outcome === 'ok' && a.answer)) ? 'cut' : 'failed';
}

/** Conversation ids clients may choose: short, printable, no spaces (it is stored and echoed). */
const CONVERSATION_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** The `x-switchyard-conversation` header's value when usable, else undefined (then threading uses prefixes). */
export function conversationHeader(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  const t = v?.trim();
  return t !== undefined && CONVERSATION_ID.test(t) ? t : undefined;
}
