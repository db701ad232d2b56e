/**
 * The journal's stored records (storage owns the shapes it keeps; src/journal builds them): an
 * exchange as decoded, threaded and redacted by the writer, and the conversations they form.
 * Nothing here ever holds a header or a credential.
 */
import type { Message, ToolCall, ToolDef, ChatRequest } from '../core/request.js';
import type { FinishReason, Usage } from '../core/response.js';

/** complete: the answer ended properly; cut: part of it reached the client, then it failed; failed: nothing reached the client. */
export type ExchangeStatus = 'complete' | 'cut' | 'failed';

/** ok: this attempt's answer ended properly; failed: it failed before any byte reached the client; cut: it died mid-answer. */
export type AttemptOutcome = 'ok' | 'failed' | 'cut';

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
  /** The client's wire format (a formats/ FormatName). */
  ingress: string;
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
