/**
 * Group commit with a bounded wait (issue #26, durability). append() resolves
 * when the batch holding the exchange is committed, so the request path can
 * hold back a response's last bytes until its exchange is safe: an exchange
 * whose last byte reached the client is in the journal. While one commit runs,
 * new exchanges gather; the next commit takes them all.
 *
 * The wait is bounded: past `maxWaitMs` append() resolves 'timeout' and the
 * response ends anyway; the exchange stays queued. While the store is failing,
 * or a commit has run longer than `maxWaitMs` (a locked or stalled file),
 * responses do not wait at all: a sick store costs the clients no latency, and
 * the log says (once a minute) that answers are ending before their exchanges
 * are written. The queue is bounded too
 * (entries and bytes): past either bound a new exchange is dropped, counted and
 * reported, and the gateway keeps serving. A failed commit is retried with
 * backoff; its exchanges stay queued meanwhile.
 *
 * One timer serves every waiting exchange (deadlines come in append order), so
 * a request costs a queue slot and a promise, not a timer.
 */
import type { Clock } from '../core/clock.js';
import { BatchError, type JournalBackend } from './backend.js';
import type { CapturedExchange } from './types.js';

export type CommitOutcome = 'committed' | 'timeout' | 'dropped' | 'closed';

export interface JournalStats {
  /** Exchanges waiting to be committed (including the batch being written). */
  queued: number;
  queuedBytes: number;
  written: number;
  /** Exchanges dropped because the queue was full (or still queued at shutdown). */
  dropped: number;
  /** Exchanges that could not be made into a record (a bug: see the log). */
  failed: number;
  /** Responses that ended before their exchange was committed (slow or failing store); the exchanges stayed queued. */
  unconfirmed: number;
  lastError?: { message: string; at: number };
  /** Commits are failing, or exchanges were dropped in the last minute. */
  degraded: boolean;
}

/** What the journal says when it loses or cannot write: pino's Logger fits. */
export interface JournalLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface WriterLimits {
  maxWaitMs: number;
  maxEntries: number;
  maxBytes: number;
  /** Exchanges per commit at most (a long queue is written in several commits). */
  maxBatch?: number;
}

interface Pending {
  rec: CapturedExchange;
  size: number;
  deadline: number;
  settled: boolean;
  resolve: (o: CommitOutcome) => void;
}

const REPORT_EVERY_MS = 60_000;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

export class JournalWriter {
  private queue: Pending[] = [];
  private inflight: Pending[] | undefined;
  private inflightDone: Promise<void> | undefined;
  private inflightSince = 0;
  private waiting: Pending[] = [];
  private waitHead = 0;
  private deadlineTimer: ReturnType<Clock['setTimeout']> | undefined;
  private retryTimer: ReturnType<Clock['setTimeout']> | undefined;
  private retryMs = RETRY_MIN_MS;
  private queuedBytes = 0;
  private written = 0;
  private dropped = 0;
  private failed = 0;
  private unconfirmed = 0;
  private lastUnconfirmedReport = -Infinity;
  private failing = false;
  private lastError: JournalStats['lastError'];
  private lastDropAt = -Infinity;
  private droppedSinceReport = 0;
  private lastDropReport = -Infinity;
  private lastErrorReport = -Infinity;
  private closed = false;
  private readonly maxBatch: number;

  constructor(
    private readonly backend: JournalBackend,
    private readonly clock: Clock,
    private readonly limits: WriterLimits,
    private readonly log?: JournalLog,
  ) {
    this.maxBatch = limits.maxBatch ?? 256;
  }

  append(rec: CapturedExchange, size: number): Promise<CommitOutcome> {
    if (this.closed) return Promise.resolve('closed');
    const queued = this.queue.length + (this.inflight?.length ?? 0);
    if (queued >= this.limits.maxEntries || this.queuedBytes + size > this.limits.maxBytes) {
      this.drop(1);
      return Promise.resolve('dropped');
    }
    const now = this.clock.now();
    let resolve!: (o: CommitOutcome) => void;
    const promise = new Promise<CommitOutcome>((r) => (resolve = r));
    const p: Pending = { rec, size, deadline: now + this.limits.maxWaitMs, settled: false, resolve };
    this.queue.push(p);
    this.queuedBytes += size;
    if (this.limits.maxWaitMs <= 0) this.settle(p, 'timeout');
    else if (this.failing || (this.inflight && now - this.inflightSince >= this.limits.maxWaitMs)) this.release(p);
    else {
      this.waiting.push(p);
      this.armDeadline();
    }
    this.pump();
    return promise;
  }

  stats(): JournalStats {
    const s: JournalStats = {
      queued: this.queue.length + (this.inflight?.length ?? 0),
      queuedBytes: this.queuedBytes,
      written: this.written,
      dropped: this.dropped,
      failed: this.failed,
      unconfirmed: this.unconfirmed,
      degraded: this.failing || this.clock.now() - this.lastDropAt < REPORT_EVERY_MS,
    };
    if (this.lastError) s.lastError = { ...this.lastError };
    return s;
  }

  /** Stop taking exchanges, write what is queued (one more try if commits were failing); returns how many were lost. */
  async close(): Promise<number> {
    this.closed = true;
    if (this.deadlineTimer) this.clock.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    let lastTry = false;
    for (;;) {
      if (this.inflightDone) {
        await this.inflightDone;
        continue;
      }
      if (this.queue.length === 0 || (this.failing && lastTry)) break;
      if (this.retryTimer) this.clock.clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      lastTry = this.failing;
      this.pump();
    }
    if (this.retryTimer) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const lost = this.queue.splice(0);
    if (lost.length > 0) {
      this.drop(lost.length, true, 'journal: exchanges still queued at shutdown were not written');
      for (const p of lost) this.settle(p, 'closed');
    }
    return lost.length;
  }

  private pump(): void {
    if (this.inflight || this.retryTimer || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.maxBatch);
    this.inflight = batch;
    this.inflightSince = this.clock.now();
    this.inflightDone = this.backend.ingest(batch.map((p) => p.rec)).then(
      (res) => {
        this.inflight = undefined;
        this.inflightDone = undefined;
        for (const p of batch) {
          this.queuedBytes -= p.size;
          this.settle(p, 'committed');
        }
        this.written += res.written;
        if (res.notice) this.log?.error({}, res.notice);
        if (res.failed > 0) {
          this.failed += res.failed;
          this.log?.error({ failed: res.failed, error: res.firstError }, 'journal: exchanges could not be recorded');
        }
        if (this.failing) this.log?.info({ queued: this.queue.length }, 'journal: writing again');
        this.failing = false;
        this.retryMs = RETRY_MIN_MS;
        this.pump();
      },
      (e: unknown) => {
        this.inflight = undefined;
        this.inflightDone = undefined;
        const now = this.clock.now();
        this.lastError = { message: (e as Error).message, at: now };
        if (e instanceof BatchError && e.lost) {
          for (const p of batch) {
            this.queuedBytes -= p.size;
            this.settle(p, 'dropped');
          }
          this.drop(batch.length, true, 'journal: exchanges lost with the journal worker; it restarts on the next write');
          this.pump();
          return;
        }
        const retry = e instanceof BatchError && e.batch?.length === batch.length ? e.batch : undefined;
        if (retry) batch.forEach((p, i) => (p.rec = retry[i]!));
        this.queue.unshift(...batch);
        this.failing = true;
        if (now - this.lastErrorReport >= REPORT_EVERY_MS) {
          this.lastErrorReport = now;
          this.log?.error({ err: this.lastError.message, queued: this.queue.length, retryInMs: this.retryMs }, 'journal: commit failed; exchanges stay queued and the gateway keeps serving');
        }
        this.retryTimer = this.clock.setTimeout(() => {
          this.retryTimer = undefined;
          this.pump();
        }, this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
      },
    );
  }

  private settle(p: Pending, outcome: CommitOutcome): void {
    if (p.settled) return;
    p.settled = true;
    p.resolve(outcome);
  }

  /** The response ends before its exchange is committed (the exchange stays queued): counted, and said once a minute. */
  private release(p: Pending): void {
    if (p.settled) return;
    this.settle(p, 'timeout');
    this.unconfirmed++;
    const now = this.clock.now();
    if (now - this.lastUnconfirmedReport >= REPORT_EVERY_MS) {
      this.lastUnconfirmedReport = now;
      this.log?.warn(
        { unconfirmedTotal: this.unconfirmed, queued: this.queue.length + (this.inflight?.length ?? 0), failing: this.failing, lastError: this.lastError?.message },
        'journal: the store is slow or failing; responses end without waiting for their exchanges to be written (they stay queued)',
      );
    }
  }

  private armDeadline(): void {
    if (this.deadlineTimer) return;
    while (this.waitHead < this.waiting.length && this.waiting[this.waitHead]!.settled) this.waitHead++;
    if (this.waitHead > 1024 && this.waitHead * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.waitHead);
      this.waitHead = 0;
    }
    const head = this.waiting[this.waitHead];
    if (!head) return;
    this.deadlineTimer = this.clock.setTimeout(() => this.onDeadline(), Math.max(0, head.deadline - this.clock.now()));
  }

  private onDeadline(): void {
    this.deadlineTimer = undefined;
    const now = this.clock.now();
    for (; this.waitHead < this.waiting.length; this.waitHead++) {
      const p = this.waiting[this.waitHead]!;
      if (!p.settled && p.deadline > now) break;
      this.release(p);
    }
    this.armDeadline();
  }

  private drop(n: number, always = false, why = 'journal: queue full, exchanges dropped (not journaled); the gateway keeps serving'): void {
    this.dropped += n;
    this.droppedSinceReport += n;
    const now = this.clock.now();
    this.lastDropAt = now;
    if (always || now - this.lastDropReport >= REPORT_EVERY_MS) {
      this.log?.warn({ dropped: this.droppedSinceReport, droppedTotal: this.dropped, queued: this.queue.length, queuedBytes: this.queuedBytes }, why);
      this.droppedSinceReport = 0;
      this.lastDropReport = now;
    }
  }
}
