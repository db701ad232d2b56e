/**
 * Entry of the journal's worker thread (worker-backend.ts): owns the store's
 * connection (SQLite or PostgreSQL) and does the writer's work (decode, hash, redact, append) and the
 * reads, one message at a time. A batch that fails goes back to the gateway
 * with its records, so it can be retried.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { JournalStoreOptions } from '../storage/journal-store.js';
import { openJournalStore } from '../storage/open-journal-store.js';
import { JournalIngest } from './ingest.js';
import type { RedactionConfig } from './journal-config.js';
import { ContentRedactor } from './redact.js';
import { transferablesOf, type Reply, type Request, READ_METHODS } from './worker-protocol.js';

const data = workerData as { store: JournalStoreOptions; redaction: RedactionConfig };
const port = parentPort!;

try {
  const store = await openJournalStore(data.store);
  const ingest = new JournalIngest(store, new ContentRedactor(data.redaction));
  port.on('message', (req: Request) => void handle(req));
  port.postMessage({ ready: true } satisfies Reply);

  async function handle(req: Request): Promise<void> {
    try {
      let result: unknown;
      if (req.op === 'ingest') result = await ingest.ingest(req.batch);
      else if (req.op === 'prune') result = await store.pruneExpired(req.now, req.limit);
      else if (req.op === 'close') {
        await store.close();
        result = true;
      } else if (READ_METHODS.includes(req.method)) result = await (store[req.method] as (...a: unknown[]) => Promise<unknown>).apply(store, req.args);
      else throw new Error(`unknown journal call ${String(req.method)}`);
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
