/**
 * The writer's work on one batch of captured exchanges, wherever the store
 * lives (the journal's worker thread for SQLite, the caller's thread for the
 * memory store): analyse each exchange, thread it (one lookup for the whole
 * batch), redact it, append the batch in one transaction.
 *
 * Threading precedence: `previous_response_id` (the client named the turn it
 * continues), then the `x-switchyard-conversation` header, then the longest
 * earlier exchange whose messages plus answer begin this one's messages, or an
 * earlier exchange with exactly these messages (a retry or a regenerated
 * answer: a sibling), else a new conversation.
 */
import type { JournalEntry, JournalStore, ThreadMatch } from '../storage/journal-store.js';
import { analyse, hashesFrom, type Analysed } from './analyse.js';
import type { ContentRedactor, RedactionCounts } from './redact.js';
import { redactAnswer, redactAttempts, redactMessages, searchTextOf, titleOf } from './redact-record.js';
import { conversationIdFor, newConversationId } from './threading.js';
import type { CapturedExchange, JournalExchange, RequestParams } from './types.js';

const DAY = 86_400_000;

export interface IngestResult {
  written: number;
  /** Exchanges that could not be made into a record (a bug, logged by the caller): not retried. */
  failed: number;
  firstError?: string;
  /** Something the gateway's log must say (the worker has no log of its own): the journal file was replaced. */
  notice?: string;
}

interface Placement {
  conversationId: string;
  parentId?: string;
  inherited: number;
  /** Messages before this index came from the parent chain; only the rest are stored. */
  storeFrom: number;
  /** previous_response_id: the parent's thread hash, to chain this exchange's own messages from. */
  chainFrom?: string;
  contextDeleted?: boolean;
}

export class JournalIngest {
  constructor(
    private readonly store: JournalStore,
    private readonly redactor: ContentRedactor,
  ) {}

  async ingest(batch: readonly CapturedExchange[]): Promise<IngestResult> {
    const result: IngestResult = { written: 0, failed: 0 };
    const items: Analysed[] = [];
    for (const rec of batch) {
      try {
        items.push(analyse(rec));
      } catch (e) {
        result.failed++;
        result.firstError ??= `${rec.requestId}: ${(e as Error).message}`;
      }
    }
    const parents = new Map<string, JournalExchange | undefined>();
    for (const a of items) {
      const prev = a.rec.responses?.previousResponseId;
      if (prev !== undefined && !parents.has(prev)) parents.set(prev, await this.store.getResponse(prev));
    }
    const threads = new Map<string, ThreadMatch>();
    const prompts = new Map<string, ThreadMatch>();
    const plain = items.filter((a) => a.rec.responses?.previousResponseId === undefined);
    const found = await this.store.findThreads(
      [...new Set(plain.flatMap((a) => a.candidates.map((c) => c.hash)))],
      [...new Set(plain.flatMap((a) => a.chain.slice(-1)))],
    );
    for (const m of found) (m.kind === 'thread' ? threads : prompts).set(m.hash, m);

    const entries: JournalEntry[] = [];
    for (const a of items) {
      const place = this.place(a, threads, prompts, parents);
      const entry = this.entry(a, place);
      entries.push(entry);
      // Later exchanges of this batch may continue this one (or, by response id, name it).
      const x = entry.exchange;
      const self: ThreadMatch = { hash: '', kind: 'thread', exchangeId: x.id, conversationId: x.conversationId, inherited: x.inherited, ...(x.parentId === undefined ? {} : { parentId: x.parentId }) };
      if (x.hashes.thread !== undefined) threads.set(x.hashes.thread, self);
      prompts.set(x.hashes.prompt, self);
      if (x.responseId !== undefined) parents.set(x.responseId, x);
    }
    await this.store.appendBatch(entries);
    result.written = entries.length;
    return result;
  }

  private place(a: Analysed, threads: Map<string, ThreadMatch>, prompts: Map<string, ThreadMatch>, parents: Map<string, JournalExchange | undefined>): Placement {
    const rec = a.rec;
    const header = rec.conversation === undefined ? undefined : conversationIdFor(rec.keyId, rec.conversation);
    const prev = rec.responses?.previousResponseId;
    if (prev !== undefined) {
      const p = parents.get(prev);
      if (p && p.keyId === rec.keyId && p.hashes.thread !== undefined) {
        return { conversationId: p.conversationId, parentId: p.id, inherited: p.inherited + p.request.messages.length + 1, storeFrom: 0, chainFrom: p.hashes.thread };
      }
      // Deleted (or never stored) since the request read it: keep this turn, say its context is gone.
      return { conversationId: header ?? newConversationId(), inherited: 0, storeFrom: 0, contextDeleted: true };
    }
    const n = a.messages.length;
    let match: { m: ThreadMatch; parentId?: string; inherited: number } | undefined;
    for (const c of a.candidates) {
      const m = threads.get(c.hash);
      if (m) {
        match = { m, parentId: m.exchangeId, inherited: c.length };
        break;
      }
    }
    const sibling = n > 0 ? prompts.get(a.chain[n - 1]!) : undefined;
    if (sibling && (!match || n > match.inherited)) match = { m: sibling, ...(sibling.parentId === undefined ? {} : { parentId: sibling.parentId }), inherited: sibling.inherited };
    if (match && (header === undefined || match.m.conversationId === header)) {
      const out: Placement = { conversationId: match.m.conversationId, inherited: match.inherited, storeFrom: match.inherited };
      if (match.parentId !== undefined) out.parentId = match.parentId;
      return out;
    }
    return { conversationId: header ?? newConversationId(), inherited: 0, storeFrom: 0 };
  }

  private entry(a: Analysed, p: Placement): JournalEntry {
    const rec = a.rec;
    const r = this.redactor;
    const counts: RedactionCounts = {};
    const own = a.messages.slice(p.storeFrom);
    const messages = redactMessages(own, r, counts);
    const answer = redactAnswer(a.answer, r, counts);
    const hashes = p.chainFrom !== undefined ? hashesFrom(p.chainFrom, a.messages, a.answer) : hashesFrom(a.chain[a.chain.length - 1] ?? a.seed, [], a.answer);
    const x: JournalExchange = {
      id: rec.requestId,
      conversationId: p.conversationId,
      inherited: p.inherited,
      alias: rec.alias,
      ingress: rec.ingress,
      stream: rec.request.stream,
      createdAt: rec.startedAt,
      finishedAt: rec.finishedAt,
      expiresAt: rec.finishedAt + rec.retentionDays * DAY,
      request: { messages },
      answer,
      attempts: redactAttempts(a.attempts, r, counts),
      status: rec.status,
      hashes,
    };
    if (p.parentId !== undefined) x.parentId = p.parentId;
    if (p.contextDeleted) x.contextDeleted = true;
    if (rec.keyId !== undefined) x.keyId = rec.keyId;
    if (rec.request.user !== undefined) x.user = r.text(rec.request.user, counts);
    if (a.instructions !== undefined) x.request.instructions = r.text(a.instructions, counts);
    if (rec.request.tools && rec.request.tools.length > 0) x.request.tools = rec.request.tools;
    const params = paramsOf(rec);
    if (params) x.request.params = params;
    if (a.resumed.length > 0) x.resumed = a.resumed;
    if (rec.responses) {
      x.responseId = rec.responses.id;
      if (rec.responses.previousResponseId !== undefined) x.previousResponseId = rec.responses.previousResponseId;
    }
    if (Object.keys(counts).length > 0) x.redactions = counts;
    if (rec.truncated) x.truncated = true;
    const conversation: JournalEntry['conversation'] = { title: titleOf(a.messages, r) };
    if (rec.conversation !== undefined) conversation.externalId = rec.conversation;
    return { exchange: x, conversation, searchText: searchTextOf(messages, answer) };
  }
}

const PARAMS = ['maxTokens', 'temperature', 'topP', 'stop', 'seed', 'responseFormat', 'toolChoice', 'parallelToolCalls'] as const;

function paramsOf(rec: CapturedExchange): RequestParams | undefined {
  const out: Record<string, unknown> = {};
  for (const k of PARAMS) if (rec.request[k] !== undefined) out[k] = rec.request[k];
  return Object.keys(out).length > 0 ? (out as RequestParams) : undefined;
}
