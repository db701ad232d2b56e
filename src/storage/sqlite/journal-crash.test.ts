/**
 * Crash safety (issue #26): a writer killed with SIGKILL at a random moment never loses an
 * exchange whose write it had confirmed, and never leaves a damaged file. Real processes, real
 * files, real kills.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openSqliteDatabase } from './driver.js';
import { openSqliteJournalStore } from './sqlite-journal-store.js';

const root = mkdtempSync(join(tmpdir(), 'switchyard-journal-crash-'));
after(() => rmSync(root, { recursive: true, force: true }));
const CHILD = new URL('../../test-support/journal-crash-child.ts', import.meta.url).pathname;

/** Start the child, kill it `killAfterMs` after it is ready; the ids it confirmed. */
function runAndKill(dir: string, mode: 'store' | 'journal', killAfterMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (!out.includes('ready\n') && (out + d).includes('ready\n')) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child ended by itself (code ${code}): ${err}`));
      // A line cut by the kill is not a confirmed id.
      const lines = out.split('\n');
      lines.pop();
      resolve(lines.filter((l) => l !== 'ready' && l !== ''));
    });
  });
}

async function check(dir: string, confirmed: string[]): Promise<number> {
  const db = await openSqliteDatabase(join(dir, 'journal.db'));
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    const stored = new Set((db.prepare('SELECT id FROM exchanges').all() as { id: string }[]).map((r) => r.id));
    const missing = confirmed.filter((id) => !stored.has(id));
    assert.deepEqual(missing, [], `${missing.length} confirmed exchanges missing after the kill`);
    return stored.size;
  } finally {
    db.close();
  }
}

describe('journal crash safety', () => {
  it('SQLite store: 20 kills at random moments; every confirmed append is there and the file is sound', async () => {
    const dir = join(root, 'store');
    let confirmed = 0;
    for (let round = 0; round < 20; round++) {
      const ids = await runAndKill(dir, 'store', 30 + Math.floor(Math.random() * 300));
      confirmed += ids.length;
      await check(dir, ids);
    }
    assert.ok(confirmed > 0, 'the child wrote before it was killed');
    // It reopens and serves after all that.
    const s = await openSqliteJournalStore(dir);
    assert.ok((await s.listConversations({ limit: 5 })).conversations.length > 0);
    await s.close();
  });

  it('Journal with its worker thread: 8 kills under 16 concurrent commits; every committed exchange is there', async () => {
    const dir = join(root, 'journal');
    let confirmed = 0;
    for (let round = 0; round < 8; round++) {
      const ids = await runAndKill(dir, 'journal', 50 + Math.floor(Math.random() * 400));
      confirmed += ids.length;
      await check(dir, ids);
    }
    assert.ok(confirmed > 0, 'the child committed before it was killed');
  });
});
