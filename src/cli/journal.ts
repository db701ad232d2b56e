/**
 * `switchyard journal list|search|show|export`: the conversation journal from
 * the command line, read straight from `<data_dir>/journal.db` (SQLite in WAL
 * mode: safe beside a running gateway). Same filters and formats as the HTTP
 * API (GET /v1/conversations), as an admin: every key's conversations.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../config/load-config.js';
import { suggestion } from '../config/did-you-mean.js';
import { isGatewayError } from '../core/errors.js';
import { conversationJson, EXPORT_FORMATS, exportConversation, summaryJson, type ExportFormat } from '../journal/export.js';
import { JOURNAL_DB_FILE } from '../journal/journal-config.js';
import { listFilter } from '../journal/list-query.js';
import type { ConversationSummary } from '../journal/types.js';
import type { ConversationFilter, JournalStore } from '../storage/journal-store.js';
import { parseCommandArgs } from './args.js';
import { UsageError, type CliIo } from './io.js';

export const JOURNAL_SUBCOMMANDS = ['list', 'search', 'show', 'export'] as const;

export const JOURNAL_OPTIONS = {
  config: { type: 'string', short: 'c' },
  'data-dir': { type: 'string', short: 'd' },
  format: { type: 'string', short: 'f' },
  conversation: { type: 'string' },
  key: { type: 'string' },
  alias: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  limit: { type: 'string', short: 'n' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** serve's default data directory (DEFAULT_DATA_DIR), relative to the working directory. */
const SERVE_DATA_DIR = '.switchyard-data';
const LIST_FORMATS = ['table', 'json'] as const;

export async function runJournal(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub.startsWith('-')) throw new UsageError(`switchyard journal: missing subcommand; expected one of ${JOURNAL_SUBCOMMANDS.join(', ')}`, 'journal');
  if (!(JOURNAL_SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new UsageError(`switchyard journal: unknown subcommand "${sub}"${suggestion(sub, JOURNAL_SUBCOMMANDS)}; expected one of ${JOURNAL_SUBCOMMANDS.join(', ')}`, 'journal');
  }
  // Words before the first option: the search words, or the conversation to show.
  const words: string[] = [];
  while (rest[0] !== undefined && !rest[0].startsWith('-')) words.push(rest.shift()!);
  const v = parseCommandArgs('journal', rest, JOURNAL_OPTIONS);
  if (sub === 'search' && words.length === 0) throw new UsageError('switchyard journal search: missing words to search for, e.g. switchyard journal search "disk full"', 'journal');
  if (sub !== 'search' && sub !== 'show' && words.length > 0) throw new UsageError(`switchyard journal ${sub}: unexpected argument "${words[0]}"`, 'journal');
  const conversation = v.conversation ?? (sub === 'show' ? words[0] : undefined);
  if (sub === 'show' && conversation === undefined) throw new UsageError('switchyard journal show: which conversation? e.g. switchyard journal show conv_abc123', 'journal');

  const dir = dataDir(v.config, v['data-dir'], io);
  const file = join(dir, JOURNAL_DB_FILE);
  if (!existsSync(file)) {
    io.stderr.write(`No journal at ${file}: the journal is off (journal.enabled) or the gateway uses another data directory (--data-dir).\n`);
    return 1;
  }
  const { openSqliteJournalStore } = await import('../storage/sqlite/sqlite-journal-store.js');
  const store = await openSqliteJournalStore(dir);
  try {
    if (conversation !== undefined) return await showOne(store, conversation, exportFormat(v.format, sub === 'show' ? 'markdown' : 'json'), io);
    const filter = listFilter({ key: v.key, alias: v.alias, from: v.from, to: v.to, q: sub === 'search' ? words.join(' ') : undefined, limit: v.limit }, { admin: true }, 10_000);
    if (sub === 'export') return await exportAll(store, filter, v.limit === undefined ? Infinity : filter.limit, exportFormat(v.format, 'json'), io);
    return await list(store, filter, listFormat(v.format), io);
  } catch (e) {
    if (!isGatewayError(e)) throw e;
    throw new UsageError(`switchyard journal ${sub}: ${e.message.replace(/^Invalid '(\w+)'/, 'invalid --$1')}`, 'journal');
  } finally {
    await store.close();
  }
}

function dataDir(config: string | undefined, flag: string | undefined, io: CliIo): string {
  if (flag !== undefined) return resolve(io.cwd, flag);
  if (config !== undefined || existsSync(resolve(io.cwd, DEFAULT_CONFIG_FILE))) {
    const c = loadConfig({ path: config, env: io.env, cwd: io.cwd });
    const d = c.journal?.dataDir ?? c.status?.dataDir;
    if (d !== undefined) return resolve(io.cwd, d);
  }
  return resolve(io.cwd, SERVE_DATA_DIR);
}

function exportFormat(value: string | undefined, fallback: ExportFormat): ExportFormat {
  if (value === undefined) return fallback;
  if ((EXPORT_FORMATS as readonly string[]).includes(value)) return value as ExportFormat;
  throw new UsageError(`switchyard journal: unknown --format "${value}"${suggestion(value, EXPORT_FORMATS)}; expected one of ${EXPORT_FORMATS.join(', ')}`, 'journal');
}

function listFormat(value: string | undefined): (typeof LIST_FORMATS)[number] {
  if (value === undefined || (LIST_FORMATS as readonly string[]).includes(value)) return (value ?? 'table') as (typeof LIST_FORMATS)[number];
  throw new UsageError(`switchyard journal: unknown --format "${value}" for a list; expected one of ${LIST_FORMATS.join(', ')}`, 'journal');
}

async function showOne(store: JournalStore, id: string, format: ExportFormat, io: CliIo): Promise<number> {
  const conv = await store.getConversation(id);
  if (!conv) {
    io.stderr.write(`No conversation ${id} in the journal (see: switchyard journal list).\n`);
    return 1;
  }
  io.stdout.write(exportConversation(conv, format).body);
  return 0;
}

async function exportAll(store: JournalStore, filter: ConversationFilter, max: number, format: ExportFormat, io: CliIo): Promise<number> {
  const page: ConversationFilter = { ...filter };
  let left = max;
  for (;;) {
    const { conversations, nextCursor } = await store.listConversations({ ...page, limit: Math.min(100, left) });
    for (const s of conversations) {
      const conv = await store.getConversation(s.id);
      if (!conv) continue;
      // Many conversations as JSON: one per line (JSONL), like the request-body formats.
      if (format === 'json') io.stdout.write(`${JSON.stringify(conversationJson(conv))}\n`);
      else io.stdout.write(format === 'markdown' ? `${exportConversation(conv, format).body}\n---\n\n` : exportConversation(conv, format).body);
    }
    left -= conversations.length;
    if (nextCursor === undefined || left <= 0) return 0;
    page.cursor = nextCursor;
  }
}

async function list(store: JournalStore, filter: ConversationFilter, format: 'table' | 'json', io: CliIo): Promise<number> {
  const { conversations, nextCursor } = await store.listConversations(filter);
  if (format === 'json') {
    for (const s of conversations) io.stdout.write(`${JSON.stringify(summaryJson(s))}\n`);
    return 0;
  }
  if (conversations.length === 0) {
    io.stdout.write('No conversations.\n');
    return 0;
  }
  const rows = conversations.map(row);
  const widths = rows[0]!.map((_, i) => Math.max(...[HEADER, ...rows].map((r) => r[i]!.length)));
  for (const r of [HEADER, ...rows]) io.stdout.write(`${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}\n`);
  if (nextCursor !== undefined) io.stdout.write(`(more: raise --limit, or narrow with --from/--to)\n`);
  return 0;
}

const HEADER = ['ID', 'LAST ACTIVITY', 'ALIAS', 'KEY', 'TURNS', 'TITLE'];

function row(s: ConversationSummary): string[] {
  const when = new Date(s.updatedAt).toISOString().slice(0, 16).replace('T', ' ');
  return [s.id, when, s.alias, s.keyId ?? '-', String(s.exchanges), s.title];
}
