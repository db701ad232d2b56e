/**
 * The journal's own schema, in its own file (`journal.db`), applied by migrate(db, now,
 * JOURNAL_MIGRATIONS, 'journal'). Never edit a released migration; add one.
 *
 * An exchange is one row whose record is JSON (`body`); the columns beside it are what is
 * searched or joined on. Search is a contentless FTS5 index (the text is in `body` already,
 * redacted) with contentless_delete so deleting a conversation removes its words too.
 */
import type { Migration } from './migrations.js';

export const JOURNAL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'journal conversations, exchanges and search',
    sql: `
CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  key_id TEXT,
  external_id TEXT,
  alias TEXT NOT NULL,
  title TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  exchanges INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX conversations_recent ON conversations (updated_at, id);
CREATE INDEX conversations_key_recent ON conversations (key_id, updated_at, id);
CREATE INDEX conversations_expiry ON conversations (expires_at);
CREATE TABLE exchanges (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL,
  response_id TEXT UNIQUE,
  parent_id TEXT,
  prompt_hash TEXT NOT NULL,
  thread_hash TEXT,
  body TEXT NOT NULL
);
CREATE INDEX exchanges_conversation ON exchanges (conversation_id, seq);
CREATE INDEX exchanges_prompt ON exchanges (prompt_hash);
CREATE INDEX exchanges_thread ON exchanges (thread_hash) WHERE thread_hash IS NOT NULL;
CREATE INDEX exchanges_parent ON exchanges (parent_id) WHERE parent_id IS NOT NULL;
CREATE VIRTUAL TABLE exchanges_fts USING fts5(text, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');`,
  },
];
