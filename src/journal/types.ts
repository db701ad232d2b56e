/**
 * What the journal keeps, in canonical terms (src/core). Two shapes:
 * - CapturedExchange: what the request path hands over, references only (the
 *   decoded request it already has, the bytes or events the client received),
 *   built cheaply and cloned as it is into the writer's thread;
 * - JournalExchange: the stored record, decoded, threaded and redacted by the
 *   writer. Nothing here ever holds a header or a credential.
 */
import type { Message, ToolCall, ToolDef, ChatRequest } from '../core/request.js';
import type { ChatResponse, FinishReason, Usage } from '../core/response.js';
import type { StreamEvent } from '../core/stream-event.js';
import type { FormatName } from '../formats/types.js';

/** complete: the answer ended properly; cut: part of it reached the client, then it failed; failed: nothing reached the client. */
export type ExchangeStatus = 'complete' | 'cut' | 'failed';

/** ok: this attempt's answer ended properly; failed: it failed before any byte reached the client; cut: it died mid-answer. */
export type AttemptOutcome = 'ok' | 'failed' | 'cut';

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

export interface JournalAnswer {
  text: string;
  toolCalls: ToolCall[];
  /** Absent when the answer did not end properly. */
  finishReason?: FinishReason;
  usage?: Usage;
  /** The upstream model that wrote (the end of) the answer. */
  model?: string;
}

export interface JournalAttempt {
  provider: string;
  model: string;
  startedAt: number;
  endedAt?: number;
  outcome: AttemptOutcome;
  errorCode?: string;
  /** What a cut attempt had delivered before it died. */
  partialText?: string;
  usage?: Usage;
}

/** Where a mid-stream resume joined two attempts' text, `at` a character offset in answer.text. */
export interface ResumePoint {
  at: number;
  from: string;
  to: string;
}

export type RequestParams = Pick<ChatRequest, 'maxTokens' | 'temperature' | 'topP' | 'stop' | 'seed' | 'responseFormat' | 'toolChoice' | 'parallelToolCalls'>;

export interface JournalExchange {
  id: string;
  conversationId: string;
  /**
   * The exchange whose messages (and answer) this one's first `inherited` messages repeat;
   * only `request.messages` after them are stored here, so a long conversation costs its
   * length, not its length squared.
   */
  parentId?: string;
  inherited: number;
  /** Part of the inherited context was deleted (DELETE of a response it continued). */
  contextDeleted?: boolean;
  keyId?: string;
  user?: string;
  alias: string;
  ingress: FormatName;
  stream: boolean;
  createdAt: number;
  finishedAt: number;
  expiresAt: number;
  request: { instructions?: string; messages: Message[]; tools?: ToolDef[]; params?: RequestParams };
  answer: JournalAnswer;
  attempts: JournalAttempt[];
  resumed?: ResumePoint[];
  responseId?: string;
  previousResponseId?: string;
  status: ExchangeStatus;
  /** How many of each kind redaction removed. */
  redactions?: Record<string, number>;
  truncated?: boolean;
  /** Threading hashes (over the unredacted text, never the text itself): the messages, and the messages plus the answer. */
  hashes: { prompt: string; thread?: string };
}

export interface ConversationSummary {
  id: string;
  keyId?: string;
  /** The `x-switchyard-conversation` value the client chose, if it did. */
  externalId?: string;
  alias: string;
  /** The first user message, redacted and shortened. */
  title: string;
  createdAt: number;
  updatedAt: number;
  exchanges: number;
  expiresAt: number;
}

export interface Conversation {
  summary: ConversationSummary;
  /** In the order they were written. */
  exchanges: JournalExchange[];
}
