/**
 * SQLite JournalStore (the default): `<data_dir>/journal.db`, apart from the status database
 * so each has its own schema, size and retention.
 *
 * Durability: WAL with synchronous=NORMAL. A committed transaction is in the WAL file when
 * COMMIT returns; with NORMAL the WAL is not fsynced per commit, which loses nothing when the
 * process dies (kill -9: the bytes are in the OS page cache) and can only lose the last commits
 * on an OS crash or power cut. SQLite: "WAL mode is always consistent with synchronous=NORMAL
 * ... Transactions are durable across application crashes regardless of the synchronous
 * setting or journal mode" (https://www.sqlite.org/pragma.html#pragma_synchronous).
 *
 * Size: auto_vacuum=INCREMENTAL (set before the first table exists; it cannot be turned on
 * later without a VACUUM) and an incremental_vacuum after each pruning batch, so expired data
 * gives its pages back to the file system instead of leaving the file at its high-water mark.
 *
 * better-sqlite3 is synchronous: in the gateway this store lives in the journal's worker
 * thread (src/journal/worker-backend.ts), never on the event loop that serves requests.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Conversation, ConversationSummary, JournalExchange } from '../journal-records.js';
import { decodeCursor, encodeCursor, searchTerms, type ConversationFilter, type ConversationPage, type JournalEntry, type JournalStore, type ThreadMatch } from '../journal-store.js';
import { openSqliteDatabase, type SqliteDatabase, type SqliteStatement } from './driver.js';
import { JOURNAL_MIGRATIONS } from './journal-migrations.js';
import { migrate } from './migrations.js';

/** The journal's file in the data directory. */
export const JOURNAL_DB_FILE = 'journal.db';

export async function openSqliteJournalStore(dir: string, file = JOURNAL_DB_FILE, now = Date.now()): Promise<SqliteJournalStore> {
  mkdirSync(dir, { recursive: true });
  const db = await openSqliteDatabase(join(dir, file));
  try {
    db.pragma('auto_vacuum = INCREMENTAL');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Exchange ids, response ids and prompt/thread hashes are random keys: each insert lands on a
    // random page of its index. SQLite's default page cache (2 MB) stops holding those indexes
    // after some tens of thousands of exchanges, and every insert then reads pages back from the
    // OS; 32 MB keeps them for about ten times as many (memory is taken as pages are used, not up front).
    db.pragma('cache_size = -32000');
    migrate(db, now, JOURNAL_MIGRATIONS, 'journal database');
  } catch (e) {
    db.close();
    throw e;
  }
  return new SqliteJournalStore(db);
}

interface ConversationRow {
  id: string;
  key_id: string | null;
  external_id: string | null;
  alias: string;
  title: string;
  created_at: number;
  updated_at: number;
  exchanges: number;
  expires_at: number;
}

const CONVERSATION_COLS = 'id, key_id, external_id, alias, title, created_at, updated_at, exchanges, expires_at';

export class SqliteJournalStore implements JournalStore {
  private readonly insertExchange: SqliteStatement;
  private readonly insertText: SqliteStatement;
  private readonly upsertConversation: SqliteStatement;
  private readonly conversationById: SqliteStatement;
  private readonly exchangesOf: SqliteStatement;
  private readonly byResponse: SqliteStatement;
  private readonly newestByThread: SqliteStatement;
  private readonly newestByPrompt: SqliteStatement;
  private readonly appendTx: (entries: readonly JournalEntry[]) => void;
  private readonly deleteTx: (id: string) => void;
  private readonly deleteResponseTx: (responseId: string, found: { ok: boolean }) => void;
  private closed = false;

  constructor(private readonly db: SqliteDatabase) {
    this.insertExchange = db.prepare(
      'INSERT OR IGNORE INTO exchanges (id, conversation_id, response_id, parent_id, prompt_hash, thread_hash, body) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq',
    );
    this.insertText = db.prepare('INSERT INTO exchanges_fts (rowid, text) VALUES (?, ?)');
    this.upsertConversation = db.prepare(
      `INSERT INTO conversations (${CONVERSATION_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)
       ON CONFLICT (id) DO UPDATE SET updated_at = max(updated_at, excluded.updated_at), exchanges = exchanges + 1, expires_at = max(expires_at, excluded.expires_at)`,
    );
    this.conversationById = db.prepare(`SELECT ${CONVERSATION_COLS} FROM conversations WHERE id = ?`);
    this.exchangesOf = db.prepare('SELECT body FROM exchanges WHERE conversation_id = ? ORDER BY seq');
    this.byResponse = db.prepare('SELECT seq, body FROM exchanges WHERE response_id = ?');
    const newest = (col: string) =>
      db.prepare(`SELECT id, conversation_id, parent_id, json_extract(body, '$.inherited') AS inherited FROM exchanges WHERE ${col} = ? ORDER BY seq DESC LIMIT 1`);
    this.newestByThread = newest('thread_hash');
    this.newestByPrompt = newest('prompt_hash');

    this.appendTx = db.transaction((entries: readonly JournalEntry[]) => {
      for (const e of entries) {
        const x = e.exchange;
        const row = this.insertExchange.get(x.id, x.conversationId, x.responseId ?? null, x.parentId ?? null, x.hashes.prompt, x.hashes.thread ?? null, JSON.stringify(x)) as { seq: number } | undefined;
        if (!row) continue;
        if (e.searchText !== '') this.insertText.run(row.seq, e.searchText);
        this.upsertConversation.run(x.conversationId, x.keyId ?? null, e.conversation.externalId ?? null, x.alias, e.conversation.title, x.createdAt, x.finishedAt, x.expiresAt);
      }
    });

    const deleteText = db.prepare('DELETE FROM exchanges_fts WHERE rowid IN (SELECT seq FROM exchanges WHERE conversation_id = ?)');
    const deleteExchanges = db.prepare('DELETE FROM exchanges WHERE conversation_id = ?');
    const deleteConversation = db.prepare('DELETE FROM conversations WHERE id = ?');
    this.deleteTx = db.transaction((id: string) => {
      deleteText.run(id);
      deleteExchanges.run(id);
      deleteConversation.run(id);
    });

    const children = db.prepare('SELECT seq, body FROM exchanges WHERE parent_id = ?');
    const reparent = db.prepare('UPDATE exchanges SET parent_id = ?, body = ? WHERE seq = ?');
    const deleteOneText = db.prepare('DELETE FROM exchanges_fts WHERE rowid = ?');
    const deleteOne = db.prepare('DELETE FROM exchanges WHERE seq = ?');
    const decrement = db.prepare('UPDATE conversations SET exchanges = exchanges - 1 WHERE id = ? RETURNING exchanges');
    this.deleteResponseTx = db.transaction((responseId: string, found: { ok: boolean }) => {
      const row = this.byResponse.get(responseId) as { seq: number; body: string } | undefined;
      if (!row) return;
      found.ok = true;
      const x = JSON.parse(row.body) as JournalExchange;
      for (const c of children.all(x.id) as { seq: number; body: string }[]) {
        const child = JSON.parse(c.body) as JournalExchange;
        if (x.parentId === undefined) delete child.parentId;
        else child.parentId = x.parentId;
        child.inherited = Math.min(child.inherited, x.inherited);
        child.contextDeleted = true;
        reparent.run(x.parentId ?? null, JSON.stringify(child), c.seq);
      }
      deleteOneText.run(row.seq);
      deleteOne.run(row.seq);
      const left = decrement.get(x.conversationId) as { exchanges: number } | undefined;
      if (left && left.exchanges <= 0) deleteConversation.run(x.conversationId);
    });
  }

  async appendBatch(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length > 0) this.appendTx(entries);
  }

  async findThreads(thread: readonly string[], prompt: readonly string[]): Promise<ThreadMatch[]> {
    const out: ThreadMatch[] = [];
    // One indexed probe per hash for its newest exchange: a common opening ("Hello") may head
    // thousands of exchanges, and a scan of them all per request would grow with the journal.
    const lookup = (kind: 'thread' | 'prompt', hashes: readonly string[], newest: SqliteStatement) => {
      for (const hash of hashes) {
        const r = newest.get(hash) as { id: string; conversation_id: string; parent_id: string | null; inherited: number } | undefined;
        if (!r) continue;
        const m: ThreadMatch = { hash, kind, exchangeId: r.id, conversationId: r.conversation_id, inherited: r.inherited };
        if (r.parent_id !== null) m.parentId = r.parent_id;
        out.push(m);
      }
    };
    lookup('thread', thread, this.newestByThread);
    lookup('prompt', prompt, this.newestByPrompt);
    return out;
  }

  async listConversations(f: ConversationFilter): Promise<ConversationPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (f.keyId === null) add('key_id IS NULL');
    else if (f.keyId !== undefined) add('key_id = ?', f.keyId);
    if (f.alias !== undefined) add('alias = ?', f.alias);
    if (f.externalId !== undefined) add('external_id = ?', f.externalId);
    if (f.from !== undefined) add('updated_at >= ?', f.from);
    if (f.to !== undefined) add('created_at < ?', f.to);
    const after = f.cursor === undefined ? undefined : decodeCursor(f.cursor);
    if (after) add('(updated_at, id) < (?, ?)', after.updatedAt, after.id);
    if (f.search !== undefined) {
      const terms = searchTerms(f.search);
      if (terms.length === 0) return { conversations: [] };
      const query = terms.map((t) => `"${t.word}"${t.prefix ? '*' : ''}`).join(' ');
      add('id IN (SELECT e.conversation_id FROM exchanges_fts JOIN exchanges e ON e.seq = exchanges_fts.rowid WHERE exchanges_fts MATCH ?)', query);
    }
    const sql = `SELECT ${CONVERSATION_COLS} FROM conversations ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC, id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, f.limit + 1) as ConversationRow[];
    const conversations = rows.slice(0, f.limit).map(toSummary);
    const out: ConversationPage = { conversations };
    if (rows.length > f.limit && conversations.length > 0) out.nextCursor = encodeCursor(conversations[conversations.length - 1]!);
    return out;
  }

  async getConversation(id: string): Promise<Conversation | undefined> {
    const row = this.conversationById.get(id) as ConversationRow | undefined;
    if (!row) return undefined;
    const exchanges = (this.exchangesOf.all(id) as { body: string }[]).map((r) => JSON.parse(r.body) as JournalExchange);
    return { summary: toSummary(row), exchanges };
  }

  async getResponse(responseId: string): Promise<JournalExchange | undefined> {
    const row = this.byResponse.get(responseId) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as JournalExchange) : undefined;
  }

  async deleteConversation(id: string): Promise<boolean> {
    if (!this.conversationById.get(id)) return false;
    this.deleteTx(id);
    return true;
  }

  async deleteResponse(responseId: string): Promise<boolean> {
    const found = { ok: false };
    this.deleteResponseTx(responseId, found);
    return found.ok;
  }

  async pruneExpired(now: number, limit: number): Promise<number> {
    const due = this.db.prepare('SELECT id FROM conversations WHERE expires_at <= ? ORDER BY expires_at LIMIT ?').all(now, limit) as { id: string }[];
    for (const { id } of due) this.deleteTx(id);
    if (due.length > 0) this.db.pragma('incremental_vacuum');
    return due.length;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  /** For tests and diagnostics: `PRAGMA integrity_check`'s answer ('ok' when sound). */
  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }
}

function toSummary(r: ConversationRow): ConversationSummary {
  const s: ConversationSummary = { id: r.id, alias: r.alias, title: r.title, createdAt: r.created_at, updatedAt: r.updated_at, exchanges: r.exchanges, expiresAt: r.expires_at };
  if (r.key_id !== null) s.keyId = r.key_id;
  if (r.external_id !== null) s.externalId = r.external_id;
  return s;
}
