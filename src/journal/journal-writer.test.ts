import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../core/clock.js';
import { MemoryJournalStore } from '../storage/memory/memory-journal-store.js';
import { BatchError, inProcessBackend, type JournalBackend } from './backend.js';
import { defaultRedaction } from './journal-config.js';
import { JournalWriter, type CommitOutcome, type JournalLog } from './journal-writer.js';
import { jsonExchange, user } from '../test-support/journal-captures.js';
import type { CapturedExchange } from './types.js';

/** A real in-process backend over a memory store, with a hand on the commit: hold it, or make it fail. */
class GatedBackend implements JournalBackend {
  readonly store = new MemoryJournalStore();
  private readonly real = inProcessBackend(this.store, defaultRedaction());
  readonly batches: number[] = [];
  held: Array<() => void> = [];
  hold = false;
  failWith: Error | undefined;
  get reader() {
    return this.real.reader;
  }
  async ingest(batch: CapturedExchange[]) {
    this.batches.push(batch.length);
    if (this.hold) await new Promise<void>((r) => this.held.push(r));
    if (this.failWith) throw this.failWith;
    return this.real.ingest(batch);
  }
  release(): void {
    this.hold = false;
    for (const r of this.held.splice(0)) r();
  }
  pruneExpired(now: number, limit: number) {
    return this.real.pruneExpired(now, limit);
  }
  close() {
    return this.real.close();
  }
}

class Lines implements JournalLog {
  readonly lines: string[] = [];
  warn(_o: object, msg: string) {
    this.lines.push(`warn ${msg}`);
  }
  error(_o: object, msg: string) {
    this.lines.push(`error ${msg}`);
  }
  info(_o: object, msg: string) {
    this.lines.push(`info ${msg}`);
  }
}

const tick = () => new Promise((r) => setImmediate(r));
const limits = { maxWaitMs: 250, maxEntries: 100, maxBytes: 1_000_000 };

function setup(over: Partial<typeof limits> = {}) {
  const clock = new ManualClock();
  const backend = new GatedBackend();
  const log = new Lines();
  const writer = new JournalWriter(backend, clock, { ...limits, ...over }, log);
  const outcomes: CommitOutcome[] = [];
  const append = (rec = jsonExchange([user('hi')], 'hello'), size = 100) => writer.append(rec, size).then((o) => void outcomes.push(o));
  return { clock, backend, log, writer, outcomes, append };
}

describe('journal writer: group commit with a bounded wait', () => {
  it('resolves once the batch holding the exchange is committed; exchanges arriving meanwhile share the next commit', async () => {
    const { backend, outcomes, append, writer } = setup();
    backend.hold = true;
    const first = append();
    await tick();
    const rest = [append(), append(), append(), append(), append()];
    await tick();
    assert.deepEqual(outcomes, []);
    backend.release();
    await Promise.all([first, ...rest]);
    assert.deepEqual(backend.batches, [1, 5]);
    assert.deepEqual(outcomes, Array(6).fill('committed'));
    // Six times the same question: one conversation (retries of one turn), six exchanges.
    assert.deepEqual((await backend.store.listConversations({ limit: 100 })).conversations.map((c) => c.exchanges), [6]);
    assert.deepEqual(writer.stats(), { queued: 0, queuedBytes: 0, written: 6, dropped: 0, failed: 0, unconfirmed: 0, degraded: false });
  });

  it('past max_wait_ms the response may end ("timeout"); the exchange stays queued and is still written', async () => {
    const { clock, backend, outcomes, append, writer } = setup();
    backend.hold = true;
    const p = append();
    await tick();
    clock.advance(249);
    await tick();
    assert.deepEqual(outcomes, []);
    clock.advance(1);
    await p;
    assert.deepEqual(outcomes, ['timeout']);
    assert.equal(writer.stats().queued, 1);
    backend.release();
    await tick();
    assert.equal(writer.stats().written, 1);
    assert.equal(writer.stats().queued, 0);
  });

  it('a failing or stuck store holds no response: after one wait of max_wait_ms, later ones end at once; counted, said once a minute', async () => {
    const { clock, backend, outcomes, append, writer, log } = setup();
    backend.hold = true;
    const first = append();
    await tick();
    clock.advance(250);
    await first;
    // The commit has run for max_wait_ms: the store is stuck, nobody else waits for it.
    await Promise.all([append(), append(), append()]);
    assert.deepEqual(outcomes, ['timeout', 'timeout', 'timeout', 'timeout']);
    assert.deepEqual([writer.stats().unconfirmed, writer.stats().queued], [4, 4]);
    const said = log.lines.filter((l) => l.includes('responses end without waiting'));
    assert.equal(said.length, 1);
    // Failing commits: still no wait, still one line a minute.
    backend.failWith = new Error('SQLITE_BUSY: database is locked');
    backend.release();
    await tick();
    await append();
    assert.equal(outcomes.length, 5);
    assert.equal(log.lines.filter((l) => l.includes('responses end without waiting')).length, 1);
    // The store comes back: everything queued is written, and responses wait for their commit again.
    backend.failWith = undefined;
    clock.advance(500);
    await tick();
    assert.deepEqual([writer.stats().written, writer.stats().queued, writer.stats().unconfirmed], [5, 0, 5]);
    const p = append();
    await p;
    assert.equal(outcomes[5], 'committed');
  });

  it('with max_wait_ms 0 nothing waits, and the exchange is written all the same', async () => {
    const { backend, outcomes, append, writer } = setup({ maxWaitMs: 0 });
    await append();
    assert.deepEqual(outcomes, ['timeout']);
    await tick();
    assert.equal(writer.stats().written, 1);
    assert.equal(backend.batches.length, 1);
  });

  it('a full queue drops new exchanges, counts them, says so once a minute, and reports degraded', async () => {
    const { clock, backend, outcomes, append, writer, log } = setup({ maxEntries: 3 });
    backend.hold = true;
    void append();
    void append();
    void append();
    await append();
    await append();
    assert.deepEqual(outcomes, ['dropped', 'dropped']);
    const s = writer.stats();
    assert.deepEqual([s.queued, s.dropped, s.unconfirmed, s.degraded], [3, 2, 0, true]);
    assert.deepEqual(log.lines, ['warn journal: queue full, exchanges dropped (not journaled); the gateway keeps serving']);
    backend.release();
    await tick();
    clock.advance(60_000);
    assert.equal(writer.stats().degraded, false);
    assert.equal(writer.stats().written, 3);
  });

  it('the byte bound counts too', async () => {
    const { backend, outcomes, append } = setup({ maxBytes: 250 });
    backend.hold = true;
    void append(undefined, 200);
    await append(undefined, 100);
    assert.deepEqual(outcomes, ['dropped']);
  });

  it('a failing store: the gateway keeps serving, exchanges stay queued and are retried with backoff', async () => {
    const { clock, backend, outcomes, append, writer, log } = setup();
    backend.failWith = new Error('SQLITE_FULL: database or disk is full');
    const p = append();
    await tick();
    assert.equal(writer.stats().degraded, true);
    assert.deepEqual(writer.stats().lastError, { message: 'SQLITE_FULL: database or disk is full', at: clock.now() });
    clock.advance(250);
    await p;
    assert.deepEqual(outcomes, ['timeout']);
    clock.advance(500);
    await tick();
    assert.deepEqual(backend.batches, [1, 1], 'retried after 500 ms');
    backend.failWith = undefined;
    clock.advance(1_000);
    await tick();
    assert.deepEqual(backend.batches, [1, 1, 1]);
    const s = writer.stats();
    assert.deepEqual([s.written, s.queued, s.degraded], [1, 0, false]);
    assert.deepEqual(log.lines, [
      'error journal: commit failed; exchanges stay queued and the gateway keeps serving',
      'warn journal: the store is slow or failing; responses end without waiting for their exchanges to be written (they stay queued)',
      'info journal: writing again',
    ]);
  });

  it('a batch lost with the worker is dropped and counted, not retried with empty bytes', async () => {
    const { backend, outcomes, append, writer } = setup();
    backend.failWith = new BatchError('journal worker stopped (exit code 1)', undefined, true);
    await append();
    assert.deepEqual(outcomes, ['dropped']);
    assert.deepEqual([writer.stats().dropped, writer.stats().queued], [1, 0]);
  });

  it('close writes what is queued, then takes nothing more', async () => {
    const { backend, outcomes, append, writer } = setup();
    backend.hold = true;
    const ps = [append(), append()];
    await tick();
    setImmediate(() => backend.release());
    assert.equal(await writer.close(), 0);
    await Promise.all(ps);
    assert.equal(writer.stats().written, 2);
    await append();
    assert.deepEqual(outcomes, ['committed', 'committed', 'closed']);
  });

  it('close with a failing store tries once more, then reports what it lost', async () => {
    const { backend, append, writer, log } = setup();
    backend.failWith = new Error('disk I/O error');
    void append();
    await tick();
    assert.equal(await writer.close(), 1);
    assert.equal(writer.stats().dropped, 1);
    assert.ok(log.lines.includes('warn journal: exchanges still queued at shutdown were not written'));
  });
});
