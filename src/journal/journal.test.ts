import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../core/clock.js';
import { openSqliteJournalStore } from '../storage/sqlite/sqlite-journal-store.js';
import { defaultJournalConfig } from './journal-config.js';
import { Journal, PRUNE_EVERY_MS, PRUNE_FIRST_MS } from './journal.js';
import { chatRequest, feed, openaiStream, user } from '../test-support/journal-captures.js';

const root = mkdtempSync(join(tmpdir(), 'switchyard-journal-facade-'));
after(() => rmSync(root, { recursive: true, force: true }));
const DAY = 86_400_000;
const tick = () => new Promise((r) => setImmediate(r));

describe('Journal', () => {
  it('captures only when enabled, for listed aliases, unless a key opts in or out', async () => {
    const off = await Journal.open(defaultJournalConfig({ enabled: false }), { store: 'memory' });
    assert.equal(off.wants('chat', true), false);
    const all = await Journal.open(defaultJournalConfig(), { store: 'memory' });
    assert.equal(all.wants('anything'), true);
    assert.equal(all.wants('anything', false), false);
    const listed = await Journal.open(defaultJournalConfig({ aliases: ['chat'] }), { store: 'memory' });
    assert.deepEqual([listed.wants('chat'), listed.wants('claude'), listed.wants('claude', true), listed.wants('chat', false)], [true, false, true, false]);
    await Promise.all([off.close(), all.close(), listed.close()]);
  });

  it('capture, commit, read back; a key may keep its conversations for its own number of days; expired ones are pruned on a timer', async () => {
    const clock = new ManualClock();
    const j = await Journal.open(defaultJournalConfig({ retentionDays: 30 }), { store: 'memory', clock });
    const start = (id: string, text: string, retentionDays?: number) => {
      const c = j.capture({ requestId: id, alias: 'chat', ingress: 'openai-chat', request: chatRequest([user(text)]), startedAt: clock.now(), requestBytes: 10, ...(retentionDays === undefined ? {} : { retentionDays }) });
      c.attempt('openai', 'gpt-4o', clock.now());
      c.response({ id: 'x', model: 'gpt-4o', created: 0, text: 'ok', toolCalls: [], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } });
      c.end('complete', clock.now());
      return j.commit(c);
    };
    assert.equal(await start('req_1', 'keep a month'), 'committed');
    assert.equal(await start('req_2', 'keep a day', 1), 'committed');
    assert.equal((await j.reader.listConversations({ limit: 10 })).conversations.length, 2);
    // A pruning round runs a minute after start, then every ten minutes.
    const round = async (ms: number) => {
      clock.advance(ms);
      await tick();
    };
    await round(PRUNE_FIRST_MS);
    await round(DAY);
    assert.equal((await j.reader.listConversations({ limit: 10 })).conversations.length, 2, 'the round that ran during that day came before the expiry');
    await round(PRUNE_EVERY_MS);
    assert.deepEqual((await j.reader.listConversations({ limit: 10 })).conversations.map((c) => c.title), ['keep a month']);
    await round(29 * DAY);
    await round(PRUNE_EVERY_MS);
    assert.equal((await j.reader.listConversations({ limit: 10 })).conversations.length, 0);
    assert.equal(j.stats().written, 2);
    await j.close();
    assert.equal(await start('req_3', 'too late'), 'closed');
  });

  it('SQLite in its worker thread: pass-through bytes cross over, the exchange is durable when commit resolves, reads go through the worker', async () => {
    const dir = join(root, 'worker');
    const j = await Journal.open(defaultJournalConfig(), { dataDir: dir });
    const c = j.capture({ requestId: 'req_w', alias: 'chat', ingress: 'openai-chat', request: chatRequest([user('Stream me ada@example.com')], { stream: true }), startedAt: Date.now(), requestBytes: 10 });
    c.attempt('openai', 'gpt-4o', Date.now());
    feed(c, 'openai-chat', openaiStream(['Hello', ' there']));
    c.end('complete', Date.now());
    assert.equal(await j.commit(c), 'committed');
    // Another connection sees it at once: committed means in the file.
    const other = await openSqliteJournalStore(dir);
    const [summary] = (await other.listConversations({ limit: 10 })).conversations;
    assert.equal(summary?.title, 'Stream me [REDACTED:email]');
    assert.equal((await other.getConversation(summary!.id))?.exchanges[0]?.answer.text, 'Hello there');
    await other.close();
    assert.equal((await j.reader.listConversations({ limit: 10, search: 'stream' })).conversations.length, 1);
    assert.equal(await j.reader.deleteConversation(summary!.id), true);
    assert.equal(await j.reader.getConversation(summary!.id), undefined);
    await j.close();
  });

  it('journal.db deleted under the running gateway (its directory removed): later exchanges go to a new file at the path, and the log says so', async () => {
    const dir = join(root, 'removed');
    const log = { lines: [] as string[], warn() {}, info() {}, error(_o: object, m: string) { this.lines.push(m); } };
    const j = await Journal.open(defaultJournalConfig(), { dataDir: dir, log });
    const commit = (text: string) => {
      const c = j.capture({ requestId: `req_${text}`, alias: 'chat', ingress: 'openai-chat', request: chatRequest([user(text)]), startedAt: Date.now(), requestBytes: 10 });
      c.attempt('openai', 'gpt-4o', Date.now());
      c.response({ id: 'x', model: 'gpt-4o', created: 0, text: 'ok', toolCalls: [], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } });
      c.end('complete', Date.now());
      return j.commit(c);
    };
    assert.equal(await commit('before'), 'committed');
    rmSync(dir, { recursive: true, force: true });
    // Without the check SQLite would take this into the unlinked file, gone at the next restart.
    assert.equal(await commit('after'), 'committed');
    await j.close();
    const reopened = await openSqliteJournalStore(dir);
    assert.deepEqual((await reopened.listConversations({ limit: 10 })).conversations.map((c) => c.title), ['after']);
    await reopened.close();
    assert.deepEqual(log.lines, [`journal: ${join(dir, 'journal.db')} was deleted while the gateway ran; a new journal file is opened at its path (what the old file held is not in it)`]);
  });

  it('a journal that cannot open its file says why', async () => {
    const dir = join(root, 'bad');
    await (await openSqliteJournalStore(dir)).close();
    const db = await (await import('../storage/sqlite/driver.js')).openSqliteDatabase(join(dir, 'journal.db'));
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('future');
    db.close();
    await assert.rejects(Journal.open(defaultJournalConfig(), { dataDir: dir }), /journal store did not open: The journal database has schema version 999/);
  });
});
