/**
 * Where captured exchanges are made into records and stored: the seam between
 * the writer's queue (journal-writer.ts) and the work. The SQLite journal runs
 * it in a worker thread (worker-backend.ts); the memory store runs it here.
 */
import type { JournalReader, JournalStore } from '../storage/journal-store.js';
import { JournalIngest, type IngestResult } from './ingest.js';
import type { RedactionConfig } from './journal-config.js';
import { ContentRedactor } from './redact.js';
import type { CapturedExchange } from './types.js';

export interface JournalBackend {
  /**
   * Analyse, thread, redact and append one batch; resolves once it is committed. Rejects with
   * a BatchError when nothing of it was committed (then the batch may be retried).
   */
  ingest(batch: CapturedExchange[]): Promise<IngestResult>;
  readonly reader: JournalReader;
  pruneExpired(now: number, limit: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * A batch that was not committed. `batch`: the records to retry with (they may have crossed a
 * thread and back); `lost`: the records cannot be retried (their bytes died with a worker).
 */
export class BatchError extends Error {
  override readonly name = 'BatchError';
  constructor(
    message: string,
    readonly batch?: CapturedExchange[],
    readonly lost = false,
  ) {
    super(message);
  }
}

export function inProcessBackend(store: JournalStore, redaction: RedactionConfig): JournalBackend {
  const ingest = new JournalIngest(store, new ContentRedactor(redaction));
  return {
    ingest: async (batch) => {
      try {
        return await ingest.ingest(batch);
      } catch (e) {
        throw new BatchError((e as Error).message);
      }
    },
    reader: store,
    pruneExpired: (now, limit) => store.pruneExpired(now, limit),
    close: () => store.close(),
  };
}
