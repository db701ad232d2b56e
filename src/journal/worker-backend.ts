/**
 * The SQLite journal in a worker thread of its own. Why not the event loop:
 * better-sqlite3 is synchronous, and the writer's work per exchange (decode a
 * kept stream, hash, redact, serialise, insert with its search words) measured
 * 37 ms per batch of 100 typical exchanges (5 messages, a 22 KB streamed
 * answer) on the development VM: about 370 µs each, three times what the
 * gateway spends serving a request (~120 µs, docs/performance.md). Handing the
 * batch to this thread costs the event loop 0.8 ms per 100 (the answer bytes
 * are moved, not copied), which keeps journaling within the 10% budget.
 *
 * One connection, one thread: writes are serial, which SQLite wants anyway. A
 * thread that dies is started again on the next call; the batch it held is
 * reported lost (its bytes had moved there).
 */
import { Worker } from 'node:worker_threads';
import type { JournalReader, JournalStoreOptions } from '../storage/journal-store.js';
import { BatchError, type JournalBackend } from './backend.js';
import type { IngestResult } from './ingest.js';
import type { RedactionConfig } from './journal-config.js';
import type { CapturedExchange } from './types.js';
import { transferablesOf, type ReadMethod, type Reply, type Request } from './worker-protocol.js';

/** The worker's entry beside this module: .js when built, .ts when run from source (the tests, under tsx). */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(`./journal-worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);

function spawn(workerData: unknown): Worker {
  if (!FROM_SOURCE) return new Worker(ENTRY, { workerData });
  // From source the worker registers tsx's loader before importing its entry (a worker does not inherit it).
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((t) => t.register()).then(() => import(${JSON.stringify(ENTRY.href)}))`;
  return new Worker(code, { eval: true, workerData });
}

interface Waiter {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

type Body = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

class WorkerBackend implements JournalBackend {
  private worker: Promise<Worker> | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();
  private closed = false;
  readonly reader: JournalReader;

  constructor(private readonly workerData: { store: JournalStoreOptions; redaction: RedactionConfig }) {
    const read = (method: ReadMethod) => (...args: unknown[]) => this.send({ op: 'read', method, args });
    this.reader = {
      listConversations: read('listConversations') as JournalReader['listConversations'],
      getConversation: read('getConversation') as JournalReader['getConversation'],
      getResponse: read('getResponse') as JournalReader['getResponse'],
      deleteConversation: read('deleteConversation') as JournalReader['deleteConversation'],
      deleteResponse: read('deleteResponse') as JournalReader['deleteResponse'],
    };
  }

  /** The running worker, started (again) when needed; rejects when it cannot open the store. */
  start(): Promise<Worker> {
    if (this.worker) return this.worker;
    const started = new Promise<Worker>((resolve, reject) => {
      const w = spawn(this.workerData);
      w.unref();
      w.once('message', (r: Reply) => {
        if ('ready' in r && r.ready) resolve(w);
        else {
          reject(new Error(`journal store did not open: ${'message' in r ? r.message : 'unknown error'}`));
          void w.terminate();
        }
        w.on('message', (m: Reply) => this.onReply(m));
      });
      w.once('error', (e) => reject(e));
      w.once('exit', (code) => {
        this.worker = undefined;
        reject(new Error(`journal worker stopped (exit code ${code})`));
        const lost = [...this.waiting.values()];
        this.waiting.clear();
        for (const x of lost) x.reject(new BatchError(`journal worker stopped (exit code ${code})`, undefined, true));
      });
    });
    this.worker = started;
    started.catch(() => {
      if (this.worker === started) this.worker = undefined;
    });
    return started;
  }

  async ingest(batch: CapturedExchange[]): Promise<IngestResult> {
    return (await this.send({ op: 'ingest', batch }, transferablesOf(batch))) as IngestResult;
  }

  async pruneExpired(now: number, limit: number): Promise<number> {
    return (await this.send({ op: 'prune', now, limit })) as number;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.worker) return;
    const w = await this.worker.catch(() => undefined);
    if (!w) return;
    await this.send({ op: 'close' }, [], true).catch(() => undefined);
    await w.terminate();
  }

  private async send(body: Body, transfer: ArrayBuffer[] = [], closing = false): Promise<unknown> {
    if (this.closed && !closing) throw new Error('the journal is closed');
    let w: Worker;
    try {
      w = await this.start();
    } catch (e) {
      throw new BatchError((e as Error).message);
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.postMessage({ ...body, id } as Request, transfer);
    });
  }

  private onReply(r: Reply): void {
    if (!('id' in r)) return;
    const w = this.waiting.get(r.id);
    if (!w) return;
    this.waiting.delete(r.id);
    if (r.ok) w.resolve(r.result);
    else w.reject(new BatchError(r.message, r.batch));
  }
}

export async function startWorkerBackend(dir: string, redaction: RedactionConfig, file?: string): Promise<JournalBackend> {
  return startStoreWorkerBackend({ kind: 'sqlite', dir, ...(file === undefined ? {} : { file }) }, redaction);
}

/** The worker with any store (PostgreSQL: the ingest work stays off the event loop there too). */
export async function startStoreWorkerBackend(store: JournalStoreOptions, redaction: RedactionConfig): Promise<JournalBackend> {
  const b = new WorkerBackend({ store, redaction });
  await b.start();
  return b;
}
