/**
 * `switchyard journal` end to end: the real command over a real journal.db
 * written by the journal's own writer.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JournalIngest } from '../journal/ingest.js';
import { defaultRedaction } from '../journal/journal-config.js';
import { ContentRedactor } from '../journal/redact.js';
import { assistant, jsonExchange, T0, user } from '../test-support/journal-captures.js';
import { openSqliteJournalStore } from '../storage/sqlite/sqlite-journal-store.js';
import { main } from './main.js';
import { testIo } from './test-io.js';

const root = mkdtempSync(join(tmpdir(), 'switchyard-cli-journal-'));
const data = join(root, 'data');
after(() => rmSync(root, { recursive: true, force: true }));

before(async () => {
  const store = await openSqliteJournalStore(data);
  const ingest = new JournalIngest(store, new ContentRedactor(defaultRedaction()));
  await ingest.ingest([jsonExchange([user('Why did the disk fill up?')], 'The WAL grew.', { keyId: 'ops' }, T0)]);
  await ingest.ingest([jsonExchange([user('Why did the disk fill up?'), assistant('The WAL grew.'), user('Fix?')], 'Checkpoint it.', { keyId: 'ops' }, T0 + 60_000)]);
  await ingest.ingest([jsonExchange([user('Write a haiku about outages')], 'Status page is red.', { alias: 'claude' }, T0 + 120_000)]);
  await store.close();
});

async function run(...argv: string[]) {
  const io = testIo({ cwd: root });
  const code = await main(['journal', ...argv], io);
  return { code, out: io.out(), err: io.err() };
}

describe('switchyard journal', () => {
  it('list: a table of conversations, most recent first, filterable', async () => {
    const r = await run('list', '--data-dir', data);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.match(lines[0]!, /^ID +LAST ACTIVITY +ALIAS +KEY +TURNS +TITLE$/);
    assert.match(lines[1]!, /^conv_\S+ +2024-06-04 06:51 +claude +- +1 +Write a haiku about outages$/);
    assert.match(lines[2]!, /^conv_\S+ +2024-06-04 06:50 +chat +ops +2 +Why did the disk fill up\?$/);
    assert.equal(lines.length, 3);
    const byKey = await run('list', '-d', data, '--key', 'ops', '--format', 'json');
    const rows = byKey.out.trim().split('\n').map((l) => JSON.parse(l) as { key_id: string; exchange_count: number });
    assert.deepEqual(rows.map((x) => [x.key_id, x.exchange_count]), [['ops', 2]]);
  });

  it('search: words across the journal; show: one conversation as Markdown', async () => {
    const r = await run('search', 'checkpoint', '-d', data);
    assert.match(r.out, /Why did the disk fill up\?/);
    assert.doesNotMatch(r.out, /haiku/);
    const id = /^(conv_\S+)/m.exec(r.out.split('\n')[1]!)![1]!;
    const show = await run('show', id, '-d', data);
    assert.equal(show.code, 0);
    assert.match(show.out, /^# Why did the disk fill up\?\n/);
    assert.match(show.out, /## User\n\nFix\?\n\n## Assistant · openai\/gpt-4o-2024-08-06 · .*\n\nCheckpoint it\./);
  });

  it('export: request bodies per line, for every conversation or one', async () => {
    const all = await run('export', '-d', data, '--format', 'openai');
    const lines = all.out.trim().split('\n').map((l) => JSON.parse(l) as { model: string; messages: unknown[] });
    assert.deepEqual(lines.map((l) => [l.model, l.messages.length]), [['claude', 2], ['chat', 4]]);
    const json = await run('export', '-d', data);
    assert.equal(json.out.trim().split('\n').length, 2, 'JSON: one conversation per line');
    const id = (JSON.parse(json.out.split('\n')[0]!) as { id: string }).id;
    const one = await run('export', '--conversation', id, '-d', data, '-f', 'anthropic');
    assert.deepEqual(JSON.parse(one.out), { model: 'claude', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'Write a haiku about outages' }] }, { role: 'assistant', content: [{ type: 'text', text: 'Status page is red.' }] }] });
  });

  it('finds the data directory in the configuration file', async () => {
    writeFileSync(join(root, 'gw.yaml'), `journal: { enabled: true, data_dir: ${data} }\n`);
    const r = await run('list', '--config', 'gw.yaml', '-n', '1');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /haiku/);
    assert.match(r.out, /\(more: raise --limit/);
  });

  it('says what is wrong: no journal, unknown conversation, bad flags', async () => {
    const none = await run('list', '-d', join(root, 'empty'));
    assert.equal(none.code, 1);
    assert.match(none.err, /^No journal at .*journal\.db: the journal is off/);
    const missing = await run('show', 'conv_nope', '-d', data);
    assert.deepEqual([missing.code, missing.err], [1, 'No conversation conv_nope in the journal (see: switchyard journal list).\n']);
    const cases: [string[], RegExp][] = [
      [['lst'], /^switchyard journal: unknown subcommand "lst" \(did you mean "list"\?\)/],
      [['search', '-d', data], /^switchyard journal search: missing words/],
      [['show', '-d', data], /^switchyard journal show: which conversation\?/],
      [['export', '-d', data, '--format', 'csv'], /^switchyard journal: unknown --format "csv"; expected one of json, openai, anthropic, markdown/],
      [['list', '-d', data, '--from', 'yesterday'], /^switchyard journal list: invalid --from: expected an ISO 8601 date/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, message);
      assert.match(r.err, /Usage: switchyard journal list/);
    }
  });
});
