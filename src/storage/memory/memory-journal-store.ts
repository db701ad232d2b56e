/**
 * In-memory JournalStore: tests, and a gateway run without a data directory.
 * Same behaviour as the SQLite adapter (journal-store-contract.ts); records are
 * copied in and out so callers never share objects with the store.
 */
import type { Conversation, ConversationSummary, JournalExchange } from '../journal-records.js';
import { decodeCursor, encodeCursor, foldWords, searchTerms, type ConversationFilter, type ConversationPage, type JournalEntry, type JournalStore, type ThreadMatch } from '../journal-store.js';

interface Row {
  exchange: JournalExchange;
  words: Set<string>;
  seq: number;
}

export class MemoryJournalStore implements JournalStore {
  private readonly conversations = new Map<string, ConversationSummary>();
  /** Exchange rows per conversation, in append order. */
  private readonly rows = new Map<string, Row[]>();
  private readonly byId = new Map<string, Row>();
  private seq = 0;

  async appendBatch(entries: readonly JournalEntry[]): Promise<void> {
    for (const e of entries) {
      const x = e.exchange;
      if (this.byId.has(x.id)) continue;
      const row: Row = { exchange: structuredClone(x), words: new Set(foldWords(e.searchText)), seq: ++this.seq };
      this.byId.set(x.id, row);
      let c = this.conversations.get(x.conversationId);
      if (!c) {
        c = { id: x.conversationId, alias: x.alias, title: e.conversation.title, createdAt: x.createdAt, updatedAt: x.finishedAt, exchanges: 0, expiresAt: x.expiresAt };
        if (x.keyId !== undefined) c.keyId = x.keyId;
        if (e.conversation.externalId !== undefined) c.externalId = e.conversation.externalId;
        this.conversations.set(c.id, c);
        this.rows.set(c.id, []);
      }
      c.exchanges++;
      c.updatedAt = Math.max(c.updatedAt, x.finishedAt);
      c.expiresAt = Math.max(c.expiresAt, x.expiresAt);
      this.rows.get(c.id)!.push(row);
    }
  }

  async findThreads(thread: readonly string[], prompt: readonly string[]): Promise<ThreadMatch[]> {
    const want = new Map<string, 'thread' | 'prompt'>();
    for (const h of prompt) want.set(`p${h}`, 'prompt');
    for (const h of thread) want.set(`t${h}`, 'thread');
    const best = new Map<string, Row>();
    for (const row of this.byId.values()) {
      const { prompt: p, thread: t } = row.exchange.hashes;
      for (const key of [`p${p}`, t === undefined ? '' : `t${t}`]) {
        if (!want.has(key)) continue;
        const prev = best.get(key);
        if (!prev || prev.seq < row.seq) best.set(key, row);
      }
    }
    return [...best].map(([key, row]) => {
      const x = row.exchange;
      const m: ThreadMatch = { hash: key.slice(1), kind: want.get(key)!, exchangeId: x.id, conversationId: x.conversationId, inherited: x.inherited };
      if (x.parentId !== undefined) m.parentId = x.parentId;
      return m;
    });
  }

  async listConversations(f: ConversationFilter): Promise<ConversationPage> {
    const after = f.cursor === undefined ? undefined : decodeCursor(f.cursor);
    const terms = f.search === undefined ? [] : searchTerms(f.search);
    const matches = [...this.conversations.values()].filter((c) => {
      if (f.keyId !== undefined && (c.keyId ?? null) !== f.keyId) return false;
      if (f.alias !== undefined && c.alias !== f.alias) return false;
      if (f.externalId !== undefined && c.externalId !== f.externalId) return false;
      if (f.from !== undefined && c.updatedAt < f.from) return false;
      if (f.to !== undefined && c.createdAt >= f.to) return false;
      if (after && (c.updatedAt > after.updatedAt || (c.updatedAt === after.updatedAt && c.id >= after.id))) return false;
      if (f.search !== undefined && !this.rows.get(c.id)!.some((r) => terms.length > 0 && terms.every((t) => hasWord(r.words, t)))) return false;
      return true;
    });
    matches.sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const page = matches.slice(0, f.limit).map((c) => ({ ...c }));
    const out: ConversationPage = { conversations: page };
    if (matches.length > f.limit && page.length > 0) out.nextCursor = encodeCursor(page[page.length - 1]!);
    return out;
  }

  async getConversation(id: string): Promise<Conversation | undefined> {
    const c = this.conversations.get(id);
    if (!c) return undefined;
    return { summary: { ...c }, exchanges: this.rows.get(id)!.map((r) => structuredClone(r.exchange)) };
  }

  async getResponse(responseId: string): Promise<JournalExchange | undefined> {
    const row = this.responseRow(responseId);
    return row ? structuredClone(row.exchange) : undefined;
  }

  async deleteConversation(id: string): Promise<boolean> {
    const rows = this.rows.get(id);
    if (!rows) return false;
    for (const r of rows) this.byId.delete(r.exchange.id);
    this.rows.delete(id);
    this.conversations.delete(id);
    return true;
  }

  async deleteResponse(responseId: string): Promise<boolean> {
    const row = this.responseRow(responseId);
    if (!row) return false;
    const x = row.exchange;
    const rows = this.rows.get(x.conversationId)!;
    for (const r of rows) {
      const child = r.exchange;
      if (child.parentId !== x.id) continue;
      if (x.parentId === undefined) delete child.parentId;
      else child.parentId = x.parentId;
      child.inherited = Math.min(child.inherited, x.inherited);
      child.contextDeleted = true;
    }
    rows.splice(rows.indexOf(row), 1);
    this.byId.delete(x.id);
    const c = this.conversations.get(x.conversationId)!;
    c.exchanges--;
    if (c.exchanges === 0) await this.deleteConversation(c.id);
    return true;
  }

  async pruneExpired(now: number, limit: number): Promise<number> {
    const due = [...this.conversations.values()].filter((c) => c.expiresAt <= now).slice(0, limit);
    for (const c of due) await this.deleteConversation(c.id);
    return due.length;
  }

  async close(): Promise<void> {}

  private responseRow(responseId: string): Row | undefined {
    for (const r of this.byId.values()) if (r.exchange.responseId === responseId) return r;
    return undefined;
  }
}

function hasWord(words: Set<string>, t: { word: string; prefix: boolean }): boolean {
  if (!t.prefix) return words.has(t.word);
  for (const w of words) if (w.startsWith(t.word)) return true;
  return false;
}
