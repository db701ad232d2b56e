/**
 * PostgreSQL JournalStore (issue #27): the conversation journal of a fleet in one database, the
 * SQLite adapter's schema and behaviour (journal-store-contract.ts) with PostgreSQL's own search.
 *
 * Search: each exchange keeps a tsvector of its search text's words as journal-store.ts folds
 * them (letters and digits, lower case, accents dropped), built with array_to_tsvector so the
 * words are exactly the memory and SQLite adapters' (no language stemming, no unaccent
 * extension needed); a query is those words ANDed, `word*` a prefix (`:*`), with a GIN index.
 * Ids sort in byte order (COLLATE "C"), as JavaScript and SQLite compare them, so pages and
 * cursors agree with the other adapters.
 */
import type { Conversation, ConversationSummary, JournalExchange } from '../journal-records.js';
import { decodeCursor, encodeCursor, foldWords, searchTerms, type ConversationFilter, type ConversationPage, type JournalEntry, type JournalStore, type ThreadMatch } from '../journal-store.js';
import { openPgPool, type PgOptions, type PgPool } from './driver.js';
import { migratePg, type PgMigration } from './migrations.js';

export const JOURNAL_PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'journal conversations, exchanges and search',
    sql: `
CREATE TABLE journal_conversations (
  id TEXT COLLATE "C" PRIMARY KEY,
  key_id TEXT COLLATE "C",
  external_id TEXT COLLATE "C",
  alias TEXT COLLATE "C" NOT NULL,
  title TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  exchanges INTEGER NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX journal_conversations_recent ON journal_conversations (updated_at, id);
CREATE INDEX journal_conversations_key_recent ON journal_conversations (key_id, updated_at, id);
CREATE INDEX journal_conversations_expiry ON journal_conversations (expires_at);
CREATE TABLE journal_exchanges (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  conversation_id TEXT COLLATE "C" NOT NULL,
  response_id TEXT COLLATE "C" UNIQUE,
  parent_id TEXT COLLATE "C",
  prompt_hash TEXT COLLATE "C" NOT NULL,
  thread_hash TEXT COLLATE "C",
  body TEXT NOT NULL,
  search TSVECTOR
);
CREATE INDEX journal_exchanges_conversation ON journal_exchanges (conversation_id, seq);
CREATE INDEX journal_exchanges_prompt ON journal_exchanges (prompt_hash);
CREATE INDEX journal_exchanges_thread ON journal_exchanges (thread_hash) WHERE thread_hash IS NOT NULL;
CREATE INDEX journal_exchanges_parent ON journal_exchanges (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX journal_exchanges_search ON journal_exchanges USING GIN (search);`,
  },
  {
    version: 2,
    name: "a hash's newest exchange by one index probe",
    sql: `
CREATE INDEX journal_exchanges_prompt_newest ON journal_exchanges (prompt_hash, seq DESC);
CREATE INDEX journal_exchanges_thread_newest ON journal_exchanges (thread_hash, seq DESC) WHERE thread_hash IS NOT NULL;
DROP INDEX journal_exchanges_prompt;
DROP INDEX journal_exchanges_thread;`,
  },
];

interface ConversationRow {
  id: string;
  key_id: string | null;
  external_id: string | null;
  alias: string;
  title: string;
  created_at: string;
  updated_at: string;
  exchanges: number;
  expires_at: string;
}

const CONVERSATION_COLS = 'id, key_id, external_id, alias, title, created_at, updated_at, exchanges, expires_at';

export class PgJournalStore implements JournalStore {
  constructor(private readonly db: PgPool) {}

  async appendBatch(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.transaction(async (q) => {
      for (const e of entries) {
        const x = e.exchange;
        const words = [...new Set(foldWords(e.searchText))];
        const inserted = await q(
          `INSERT INTO journal_exchanges (id, conversation_id, response_id, parent_id, prompt_hash, thread_hash, body, search)
           VALUES ($1, $2, $3, $4, $5, $6, $7, array_to_tsvector($8::text[])) ON CONFLICT (id) DO NOTHING RETURNING seq`,
          [x.id, x.conversationId, x.responseId ?? null, x.parentId ?? null, x.hashes.prompt, x.hashes.thread ?? null, JSON.stringify(x), words],
        );
        if (inserted.length === 0) continue;
        await q(
          `INSERT INTO journal_conversations AS c (${CONVERSATION_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8)
           ON CONFLICT (id) DO UPDATE SET updated_at = GREATEST(c.updated_at, EXCLUDED.updated_at), exchanges = c.exchanges + 1, expires_at = GREATEST(c.expires_at, EXCLUDED.expires_at)`,
          [x.conversationId, x.keyId ?? null, e.conversation.externalId ?? null, x.alias, e.conversation.title, x.createdAt, x.finishedAt, x.expiresAt],
        );
      }
    });
  }

  async findThreads(thread: readonly string[], prompt: readonly string[]): Promise<ThreadMatch[]> {
    const out: ThreadMatch[] = [];
    for (const [kind, col, hashes] of [['thread', 'thread_hash', thread], ['prompt', 'prompt_hash', prompt]] as const) {
      if (hashes.length === 0) continue;
      // One index probe per hash for its newest exchange: a common opening ("Hello") may head
      // thousands of exchanges, and reading them all per request would grow with the journal.
      const rows = await this.db.query<{ hash: string; body: string }>(
        `SELECT h.hash, e.body FROM unnest($1::text[]) AS h(hash) CROSS JOIN LATERAL (SELECT body FROM journal_exchanges WHERE ${col} = h.hash ORDER BY seq DESC LIMIT 1) e`,
        [[...hashes]],
      );
      for (const r of rows) {
        const x = JSON.parse(r.body) as JournalExchange;
        const m: ThreadMatch = { hash: r.hash, kind, exchangeId: x.id, conversationId: x.conversationId, inherited: x.inherited };
        if (x.parentId !== undefined) m.parentId = x.parentId;
        out.push(m);
      }
    }
    return out;
  }

  async listConversations(f: ConversationFilter): Promise<ConversationPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (n: number) => string, value?: unknown) => {
      if (value !== undefined) params.push(value);
      where.push(clause(params.length));
    };
    if (f.keyId === null) add(() => 'key_id IS NULL');
    else if (f.keyId !== undefined) add((n) => `key_id = $${n}`, f.keyId);
    if (f.alias !== undefined) add((n) => `alias = $${n}`, f.alias);
    if (f.externalId !== undefined) add((n) => `external_id = $${n}`, f.externalId);
    if (f.from !== undefined) add((n) => `updated_at >= $${n}`, f.from);
    if (f.to !== undefined) add((n) => `created_at < $${n}`, f.to);
    const after = f.cursor === undefined ? undefined : decodeCursor(f.cursor);
    if (after) {
      add((n) => `updated_at <= $${n}`, after.updatedAt);
      add((n) => `(updated_at < $${n - 1} OR id < $${n})`, after.id);
    }
    if (f.search !== undefined) {
      const terms = searchTerms(f.search);
      if (terms.length === 0) return { conversations: [] };
      const query = terms.map((t) => `'${t.word}'${t.prefix ? ':*' : ''}`).join(' & ');
      add((n) => `id IN (SELECT conversation_id FROM journal_exchanges WHERE search @@ $${n}::tsquery)`, query);
    }
    params.push(f.limit + 1);
    const sql = `SELECT ${CONVERSATION_COLS} FROM journal_conversations ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC, id DESC LIMIT $${params.length}`;
    const rows = await this.db.query<ConversationRow>(sql, params);
    const conversations = rows.slice(0, f.limit).map(toSummary);
    const out: ConversationPage = { conversations };
    if (rows.length > f.limit && conversations.length > 0) out.nextCursor = encodeCursor(conversations[conversations.length - 1]!);
    return out;
  }

  async getConversation(id: string): Promise<Conversation | undefined> {
    const [row] = await this.db.query<ConversationRow>(`SELECT ${CONVERSATION_COLS} FROM journal_conversations WHERE id = $1`, [id]);
    if (!row) return undefined;
    const exchanges = await this.db.query<{ body: string }>('SELECT body FROM journal_exchanges WHERE conversation_id = $1 ORDER BY seq', [id]);
    return { summary: toSummary(row), exchanges: exchanges.map((r) => JSON.parse(r.body) as JournalExchange) };
  }

  async getResponse(responseId: string): Promise<JournalExchange | undefined> {
    const [row] = await this.db.query<{ body: string }>('SELECT body FROM journal_exchanges WHERE response_id = $1', [responseId]);
    return row ? (JSON.parse(row.body) as JournalExchange) : undefined;
  }

  async deleteConversation(id: string): Promise<boolean> {
    return this.db.transaction(async (q) => {
      await q('DELETE FROM journal_exchanges WHERE conversation_id = $1', [id]);
      return (await q('DELETE FROM journal_conversations WHERE id = $1 RETURNING id', [id])).length > 0;
    });
  }

  async deleteResponse(responseId: string): Promise<boolean> {
    return this.db.transaction(async (q) => {
      const [row] = await q<{ seq: string; body: string }>('SELECT seq, body FROM journal_exchanges WHERE response_id = $1 FOR UPDATE', [responseId]);
      if (!row) return false;
      const x = JSON.parse(row.body) as JournalExchange;
      for (const c of await q<{ seq: string; body: string }>('SELECT seq, body FROM journal_exchanges WHERE parent_id = $1 FOR UPDATE', [x.id])) {
        const child = JSON.parse(c.body) as JournalExchange;
        if (x.parentId === undefined) delete child.parentId;
        else child.parentId = x.parentId;
        child.inherited = Math.min(child.inherited, x.inherited);
        child.contextDeleted = true;
        await q('UPDATE journal_exchanges SET parent_id = $1, body = $2 WHERE seq = $3', [x.parentId ?? null, JSON.stringify(child), c.seq]);
      }
      await q('DELETE FROM journal_exchanges WHERE seq = $1', [row.seq]);
      const [left] = await q<{ exchanges: number }>('UPDATE journal_conversations SET exchanges = exchanges - 1 WHERE id = $1 RETURNING exchanges', [x.conversationId]);
      if (left && left.exchanges <= 0) await q('DELETE FROM journal_conversations WHERE id = $1', [x.conversationId]);
      return true;
    });
  }

  async pruneExpired(now: number, limit: number): Promise<number> {
    return this.db.transaction(async (q) => {
      const due = (await q<{ id: string }>('SELECT id FROM journal_conversations WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED', [now, limit])).map((r) => r.id);
      if (due.length === 0) return 0;
      await q('DELETE FROM journal_exchanges WHERE conversation_id = ANY($1::text[])', [due]);
      await q('DELETE FROM journal_conversations WHERE id = ANY($1::text[])', [due]);
      return due.length;
    });
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

function toSummary(r: ConversationRow): ConversationSummary {
  const s: ConversationSummary = { id: r.id, alias: r.alias, title: r.title, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at), exchanges: r.exchanges, expiresAt: Number(r.expires_at) };
  if (r.key_id !== null) s.keyId = r.key_id;
  if (r.external_id !== null) s.externalId = r.external_id;
  return s;
}

export async function openPgJournalStore(opts: PgOptions): Promise<PgJournalStore> {
  const db = await openPgPool(opts);
  try {
    await migratePg(db, 'journal', JOURNAL_PG_MIGRATIONS);
  } catch (e) {
    await db.close();
    throw e;
  }
  return new PgJournalStore(db);
}
