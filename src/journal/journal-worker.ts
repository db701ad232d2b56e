/**
 * Entry of the journal's worker thread (worker-backend.ts): owns the store's
 * connection (SQLite or PostgreSQL) and does the writer's work (decode, hash, redact, append) and the
 * reads, one message at a time. A batch that fails goes back to the gateway
 * with its records, so it can be retried.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { JournalStore, JournalStoreOptions } from '../storage/journal-store.js';
import { openJournalStore } from '../storage/open-journal-store.js';
import { JournalIngest } from './ingest.js';
import type { RedactionConfig } from './journal-config.js';
import { ContentRedactor } from './redact.js';
import { StoreFileWatch } from './store-file-watch.js';
import { transferablesOf, type Reply, type Request, READ_METHODS } from './worker-protocol.js';

const data = workerData as { store: JournalStoreOptions; redaction: RedactionConfig };
const port = parentPort!;

try {
  const redactor = new ContentRedactor(data.redaction);
  let store: JournalStore | undefined = await openJournalStore(data.store);
  const watch = new StoreFileWatch(data.store);
  let ingest = new JournalIngest(store, redactor);
  let reopening: Promise<JournalStore> | undefined;
  /** Said with the next batch's result: the gateway's log is on the other thread. */
  let notice: string | undefined;
  port.on('message', (req: Request) => void handle(req));
  port.postMessage({ ready: true } satisfies Reply);

  /**
   * The store to use now. A journal.db deleted or replaced under the running gateway (its
   * directory cleaned up, a restore copied over it) would otherwise take every later exchange
   * into an unlinked file that vanishes at the next restart: a new file is opened at the path.
   */
  function current(): JournalStore | Promise<JournalStore> {
    if (reopening) return reopening;
    if (store) {
      const moved = watch.moved();
      if (!moved) return store;
      notice = `journal: ${moved}; a new journal file is opened at its path (what the old file held is not in it)`;
    }
    const old = store;
    store = undefined;
    reopening = (async () => {
      await old?.close().catch(() => undefined);
      const s = await openJournalStore(data.store);
      watch.opened();
      ingest = new JournalIngest(s, redactor);
      return (store = s);
    })().finally(() => (reopening = undefined));
    return reopening;
  }

  async function handle(req: Request): Promise<void> {
    try {
      let result: unknown;
      if (req.op === 'close') {
        await store?.close();
        result = true;
      } else {
        const s = await current();
        if (req.op === 'ingest') {
          const said = notice;
          notice = undefined;
          result = { ...(await ingest.ingest(req.batch)), ...(said ? { notice: said } : {}) };
        } else if (req.op === 'prune') result = await s.pruneExpired(req.now, req.limit);
        else if (READ_METHODS.includes(req.method)) result = await (s[req.method] as (...a: unknown[]) => Promise<unknown>).apply(s, req.args);
        else throw new Error(`unknown journal call ${String(req.method)}`);
      }
      port.postMessage({ id: req.id, ok: true, result } satisfies Reply);
    } catch (e) {
      const message = (e as Error).message ?? String(e);
      if (req.op === 'ingest') port.postMessage({ id: req.id, ok: false, message, batch: req.batch } satisfies Reply, transferablesOf(req.batch));
      else port.postMessage({ id: req.id, ok: false, message } satisfies Reply);
    }
  }
} catch (e) {
  port.postMessage({ ready: false, message: (e as Error).message } satisfies Reply);
}
