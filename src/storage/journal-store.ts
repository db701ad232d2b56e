/**
 * Where the conversation journal lives, behind one narrow, asynchronous
 * interface (DESIGN.md principle 8): SQLite by default (its own file,
 * `journal.db`), memory for tests, PostgreSQL later, all held to one contract
 * suite (journal-store-contract.ts). Records arrive already decoded, threaded
 * and redacted (src/journal); a store only keeps, finds and forgets them.
 */
import type { Conversation, ConversationSummary, JournalExchange } from './journal-records.js';

/** One exchange to append, with what its conversation needs when this exchange starts it. */
export interface JournalEntry {
  exchange: JournalExchange;
  /** Used only when the exchange starts its conversation. */
  conversation: { title: string; externalId?: string };
  /** The redacted text to index for search (the turn's new messages and its answer). */
  searchText: string;
}

/** A stored exchange whose hashes matched: `thread` = its messages plus answer, `prompt` = its messages alone. */
export interface ThreadMatch {
  hash: string;
  kind: 'thread' | 'prompt';
  exchangeId: string;
  conversationId: string;
  parentId?: string;
  inherited: number;
}

export interface ConversationFilter {
  /** A key's conversations; null = those made without a key; absent = all. */
  keyId?: string | null;
  alias?: string;
  /** Conversations active in [from, to): last exchange at or after `from`, first before `to` (epoch ms). */
  from?: number;
  to?: number;
  /** Words that must all appear in one exchange (case and accents ignored); `word*` matches a prefix. */
  search?: string;
  /** The conversation id a client chose with the header. */
  externalId?: string;
  limit: number;
  /** From a previous page's nextCursor. */
  cursor?: string;
}

export interface ConversationPage {
  /** Most recently active first. */
  conversations: ConversationSummary[];
  nextCursor?: string;
}

export interface JournalStore {
  /**
   * Append in one transaction: all or nothing. An exchange id already stored is skipped, so a
   * batch retried after an unclear failure is never counted twice.
   */
  appendBatch(entries: readonly JournalEntry[]): Promise<void>;
  /** The most recent exchange per hash whose thread hash is in `thread` or prompt hash in `prompt`. */
  findThreads(thread: readonly string[], prompt: readonly string[]): Promise<ThreadMatch[]>;
  listConversations(filter: ConversationFilter): Promise<ConversationPage>;
  getConversation(id: string): Promise<Conversation | undefined>;
  getResponse(responseId: string): Promise<JournalExchange | undefined>;
  deleteConversation(id: string): Promise<boolean>;
  /**
   * Forget one stored response (its exchange). Exchanges that continued it keep their own
   * messages and answer; their context now starts before it, marked `contextDeleted`.
   */
  deleteResponse(responseId: string): Promise<boolean>;
  /** Remove at most `limit` conversations whose last exchange's retention ended by `now`; returns how many. */
  pruneExpired(now: number, limit: number): Promise<number>;
  close(): Promise<void>;
}

/** What the API, the CLI and the Responses state read and delete: the store without its writing side. */
export type JournalReader = Pick<JournalStore, 'listConversations' | 'getConversation' | 'getResponse' | 'deleteConversation' | 'deleteResponse'>;

export type JournalStoreOptions =
  | { kind: 'memory' }
  | { kind: 'sqlite'; dir: string; file?: string }
  /** Shared by every instance (issue #27); tables in `schema` (default public), created and migrated when missing. */
  | { kind: 'postgres'; url: string; schema?: string };

/** Cursor for the page after `last` (most recent first: updatedAt, then id, both descending). */
export function encodeCursor(last: ConversationSummary): string {
  return Buffer.from(`${last.updatedAt}:${last.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { updatedAt: number; id: string } | undefined {
  const m = /^(\d+):(.+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? { updatedAt: Number(m[1]), id: m[2]! } : undefined;
}

/** Search words as both adapters read them: letters and digits, lower case, accents dropped; a trailing * = prefix. */
export function searchTerms(search: string): { word: string; prefix: boolean }[] {
  const out: { word: string; prefix: boolean }[] = [];
  for (const raw of search.split(/\s+/)) {
    const prefix = raw.endsWith('*');
    for (const w of foldWords(raw)) out.push({ word: w, prefix: false });
    if (prefix && out.length > 0) out[out.length - 1]!.prefix = true;
  }
  return out;
}

export function foldWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}
