/**
 * What the journal keeps, in canonical terms (src/core). Two shapes:
 * - CapturedExchange: what the request path hands over, references only (the
 *   decoded request it already has, the bytes or events the client received),
 *   built cheaply and cloned as it is into the writer's thread;
 * - JournalExchange: the stored record, decoded, threaded and redacted by the
 *   writer. Nothing here ever holds a header or a credential.
 */
import type { ChatRequest } from '../core/request.js';
import type { ChatResponse } from '../core/response.js';
import type { AttemptOutcome, ExchangeStatus } from '../storage/journal-records.js';
import type { StreamEvent } from '../core/stream-event.js';
import type { FormatName } from '../formats/types.js';

/** One upstream attempt as the request path saw it; `answer` is what it delivered to the client, in one of four shapes. */
export interface CapturedAttempt {
  provider: string;
  model: string;
  startedAt: number;
  endedAt?: number;
  outcome: AttemptOutcome;
  errorCode?: string;
  /** This attempt continued the previous attempt's partial answer (mid-stream resume). */
  continues?: boolean;
  answer?:
    | { kind: 'response'; response: ChatResponse }
    | { kind: 'events'; events: StreamEvent[] }
    /**
     * Pass-through: the upstream's own bytes, forwarded unchanged (a JSON body or an SSE stream),
     * decoded by the writer. `own`: the buffer belongs to this capture alone, so it may be moved
     * to the writer's thread instead of copied.
     */
    | { kind: 'body' | 'stream'; format: FormatName; bytes: Uint8Array; own?: true };
}

/** Responses API state: the id the client was given and what it continued. */
export interface CapturedResponses {
  id: string;
  previousResponseId?: string;
  /** messages[0] is the request's `instructions` (not carried over by previous_response_id, per the API). */
  instructions: boolean;
}

export interface CapturedExchange {
  /** The gateway's request id: the exchange's id. */
  requestId: string;
  alias: string;
  keyId?: string;
  ingress: FormatName;
  /** The decoded request as the client sent it (for previous_response_id: without the stored history). */
  request: ChatRequest;
  /** The `x-switchyard-conversation` header, validated. */
  conversation?: string;
  startedAt: number;
  finishedAt: number;
  status: ExchangeStatus;
  retentionDays: number;
  attempts: CapturedAttempt[];
  responses?: CapturedResponses;
  /** Bytes of the answer not kept (over the per-exchange cap). */
  truncated?: boolean;
}

// The stored records are defined with their store (storage owns the shapes it keeps).
export type { AttemptOutcome, Conversation, ConversationSummary, ExchangeStatus, JournalAnswer, JournalAttempt, JournalExchange, RequestParams, ResumePoint } from '../storage/journal-records.js';
