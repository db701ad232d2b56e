/**
 * The conversation journal of one gateway instance (issue #26): decides what
 * is captured, hands captures to the writer, answers reads, prunes expired
 * conversations. Everything it holds is its own (DESIGN.md: nothing at module
 * level), so two journals in one process share nothing.
 */
import { createSystemClock, type Clock, type TimerHandle } from '../core/clock.js';
import type { Message } from '../core/request.js';
import type { JournalReader } from '../storage/journal-store.js';
import { openJournalStore } from '../storage/open-journal-store.js';
import { inProcessBackend, type JournalBackend } from './backend.js';
import { JournalCapture, type CaptureInit } from './capture.js';
import type { JournalConfig } from './journal-config.js';
import { JournalWriter, type CommitOutcome, type JournalLog, type JournalStats } from './journal-writer.js';
import { previousMessages } from './responses-state.js';

export const PRUNE_FIRST_MS = 60_000;
export const PRUNE_EVERY_MS = 10 * 60_000;
/** Conversations removed per store call; a pruning round stops after PRUNE_ROUND_MAX of them and resumes next time. */
const PRUNE_BATCH = 500;
const PRUNE_ROUND_MAX = 20 * PRUNE_BATCH;

export type CaptureStart = Omit<CaptureInit, 'retentionDays'> & {
  /** The key's own retention (virtual keys), else `journal.retention_days`. */
  retentionDays?: number;
};

export interface JournalOpenOptions {
  /** Directory of journal.db when `journal.data_dir` is not set (serve: the gateway's data directory). */
  dataDir?: string;
  /** 'memory' keeps nothing across restarts (tests, a gateway without a data directory). */
  store?: 'sqlite' | 'memory';
  /** `journal.store: postgres` (issue #27): the fleet's shared journal; wins over `store` and the data directory. */
  postgres?: { url: string; schema?: string };
  /** SQLite only: build and write records on this thread instead of the journal's worker (the CLI, tests). */
  inProcess?: boolean;
  clock?: Clock;
  log?: JournalLog;
}

export class Journal {
  private readonly writer: JournalWriter;
  private readonly clock: Clock;
  private pruneTimer: TimerHandle | undefined;
  private pruning: Promise<void> | undefined;
  private closed = false;

  static async open(config: JournalConfig, opts: JournalOpenOptions = {}): Promise<Journal> {
    if (opts.postgres) {
      const store = { kind: 'postgres' as const, ...opts.postgres };
      if (opts.inProcess) return new Journal(config, inProcessBackend(await openJournalStore(store), config.redact), opts);
      const { startStoreWorkerBackend } = await import('./worker-backend.js');
      return new Journal(config, await startStoreWorkerBackend(store, config.redact), opts);
    }
    const dir = config.dataDir ?? opts.dataDir;
    if (opts.store === 'memory' || dir === undefined) {
      return new Journal(config, inProcessBackend(await openJournalStore({ kind: 'memory' }), config.redact), opts);
    }
    if (opts.inProcess) return new Journal(config, inProcessBackend(await openJournalStore({ kind: 'sqlite', dir }), config.redact), opts);
    const { startWorkerBackend } = await import('./worker-backend.js');
    return new Journal(config, await startWorkerBackend(dir, config.redact), opts);
  }

  constructor(
    readonly config: JournalConfig,
    private readonly backend: JournalBackend,
    private readonly opts: { clock?: Clock; log?: JournalLog } = {},
  ) {
    this.clock = opts.clock ?? createSystemClock();
    this.writer = new JournalWriter(backend, this.clock, { maxWaitMs: config.maxWaitMs, maxEntries: config.queueMaxEntries, maxBytes: config.queueMaxBytes }, opts.log);
    if (config.enabled) this.pruneTimer = this.clock.setTimeout(() => this.prune(), PRUNE_FIRST_MS);
  }

  /**
   * Whether to capture this request: the journal is enabled and the alias is listed (or no list
   * is given), unless the key says otherwise (`keyJournal` from the key's settings: true opts
   * in on any alias, false opts out).
   */
  wants(alias: string, keyJournal?: boolean): boolean {
    if (!this.config.enabled || this.closed || keyJournal === false) return false;
    return keyJournal === true || this.config.aliases === undefined || this.config.aliases.includes(alias);
  }

  capture(init: CaptureStart): JournalCapture {
    return new JournalCapture({ ...init, retentionDays: init.retentionDays ?? this.config.retentionDays });
  }

  /** Resolves 'committed' once the exchange is durable, or earlier ('timeout', 'dropped', 'closed'): never rejects. */
  commit(capture: JournalCapture): Promise<CommitOutcome> {
    return this.writer.append(capture.toRecord(), capture.size);
  }

  stats(): JournalStats {
    return this.writer.stats();
  }

  get reader(): JournalReader {
    return this.backend.reader;
  }

  /** The conversation up to and including stored response `responseId`, for a request that continues it (previous_response_id). */
  previousMessages(responseId: string, keyId: string | undefined): Promise<Message[] | undefined> {
    return previousMessages(this.backend.reader, responseId, keyId);
  }

  /** One pruning round now (the timer calls it; tests and the CLI may too). Returns conversations removed. */
  async pruneNow(): Promise<number> {
    let removed = 0;
    for (let n = PRUNE_BATCH; n === PRUNE_BATCH && removed < PRUNE_ROUND_MAX; removed += n) n = await this.backend.pruneExpired(this.clock.now(), PRUNE_BATCH);
    return removed;
  }

  /** Flush what is queued, then close the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pruneTimer) this.clock.clearTimeout(this.pruneTimer);
    await this.pruning;
    await this.writer.close();
    await this.backend.close();
  }

  private prune(): void {
    this.pruneTimer = undefined;
    this.pruning = this.pruneNow().then(
      () => undefined,
      (e: unknown) => this.opts.log?.error({ err: (e as Error).message }, 'journal: pruning expired conversations failed; will retry'),
    );
    void this.pruning.finally(() => {
      if (!this.closed) this.pruneTimer = this.clock.setTimeout(() => this.prune(), PRUNE_EVERY_MS);
    });
  }
}
