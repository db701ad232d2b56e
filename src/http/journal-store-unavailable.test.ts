/**
 * Issue #26 acceptance, store unavailable: the journal's SQLite file is locked by another process
 * (a backup tool, an operator's `sqlite3` shell left in a transaction) while clients keep asking.
 * Their requests succeed without waiting for the store, what the bounded queue cannot hold is
 * dropped and counted, the log says so once rather than per request, and once the lock goes the
 * queued exchanges are written.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { defaultJournalConfig } from '../journal/journal-config.js';
import { openSqliteDatabase, type SqliteDatabase } from '../storage/sqlite/driver.js';
import { startStack, type Stack } from '../test-support/stack.js';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-journal-locked-'));
const lines: string[] = [];
let st: Stack;
before(async () => {
  st = await startStack({ logLines: lines, configure: (c) => ({ ...c, journal: defaultJournalConfig({ dataDir: dir, queueMaxEntries: 5 }) }) });
});
after(async () => {
  await st.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ask(marker: string, stream: boolean): Promise<void> {
  const r = await fetch(`${st.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'via-openai', stream, messages: [{ role: 'user', content: `Note ${marker}` }] }),
  });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  assert.ok(stream ? text.includes('data: [DONE]') : JSON.parse(text).choices[0].message.content.length > 0);
}

async function found(marker: string): Promise<boolean> {
  const r = await fetch(`${st.url}/v1/conversations?q=${marker}`);
  return ((await r.json()) as { data: unknown[] }).data.length > 0;
}

const logged = (msg: string) => lines.filter((l) => l.includes(msg)).length;

test('a locked journal file: requests succeed without waiting for it, drops are counted and said once, the queue is written when the lock goes', async () => {
  const journal = st.gateway.context.journal!;
  await ask('healthyfirst', false);
  assert.ok(await found('healthyfirst'));

  // Another process takes the write lock and keeps it.
  const locker: SqliteDatabase = await openSqliteDatabase(join(dir, 'journal.db'));
  locker.exec('BEGIN IMMEDIATE');
  let released = false;
  try {
    const started = Date.now();
    for (let i = 0; i < 20; i++) await ask(`locked${i}`, i % 2 === 1);
    const elapsed = Date.now() - started;
    // One response waits max_wait_ms (250 ms) for the stuck commit; after that nobody does. Waiting
    // for each would take 20 x 250 ms.
    assert.ok(elapsed < 2_500, `20 requests took ${elapsed} ms`);

    const s = journal.stats();
    // One exchange in the stuck commit and four queued behind it fill the bound of five: the other 15 are dropped.
    assert.deepEqual([s.queued, s.dropped, s.degraded], [5, 15, true]);
    assert.equal(s.unconfirmed, 5);
    assert.equal(logged('journal: queue full, exchanges dropped'), 1, 'one line for 15 drops');
    assert.equal(logged('responses end without waiting for their exchanges'), 1, 'one line for 5 unconfirmed answers');

    locker.exec('ROLLBACK');
    locker.close();
    released = true;
    // The stuck commit either gets the lock now or fails on its busy timeout (5 s) and is retried.
    const until = Date.now() + 20_000;
    while (journal.stats().queued > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.equal(journal.stats().queued, 0, 'the queue was written once the lock went');
  } finally {
    if (!released) locker.close();
  }
  for (let i = 0; i < 5; i++) assert.ok(await found(`locked${i}`), `locked${i} was queued and is journaled`);
  for (let i = 5; i < 20; i++) assert.equal(await found(`locked${i}`), false, `locked${i} was dropped`);

  // Journaling as before: the answer waits for its commit again.
  await ask('healthyagain', true);
  assert.ok(await found('healthyagain'));
  assert.equal(journal.stats().unconfirmed, 5);
});
