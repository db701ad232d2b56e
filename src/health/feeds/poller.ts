/**
 * VendorFeedPoller: reads each configured vendor status feed on its interval
 * and keeps the latest VendorStatus per provider for the status page and the
 * incident list. Off unless feeds are configured. A feed that cannot be
 * fetched or parsed never crashes anything: the last good status is kept and
 * marked with `fetchError` (message, since when, how many times in a row).
 * Time (schedule and per-request timeout) runs on the injected Clock and the
 * network on the injected fetch, so tests need neither sleeping nor internet.
 */
import { createSystemClock, type Clock, type TimerHandle } from '../../core/clock.js';
import { parseFeed, type FeedDocuments } from './parse-feed.js';
import type { FeedFailure, VendorFeedConfig, VendorStatus } from './types.js';

export interface FeedResponse {
  status: number;
  text(): Promise<string>;
}
/** The subset of WHATWG fetch the poller uses; global fetch fits. */
export type FeedFetch = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<FeedResponse>;

export interface VendorFeedPollerOptions {
  feeds: VendorFeedConfig[];
  clock?: Clock;
  fetch?: FeedFetch;
  /** Schedule jitter (±10% of the interval) so replicas do not poll in step. */
  random?: () => number;
  /** Per-request timeout. Default 15 s. */
  timeoutMs?: number;
  /** Bodies larger than this are refused (Google's incidents.json is a few MB). Default 32 MiB. */
  maxChars?: number;
}

type ChangeListener = (status: VendorStatus) => void;

interface FeedState {
  config: VendorFeedConfig;
  status?: VendorStatus;
  failure?: FeedFailure;
  timer?: TimerHandle;
  inFlight?: Promise<void>;
  fingerprint?: string;
}

export class VendorFeedPoller {
  private readonly clock: Clock;
  private readonly fetch: FeedFetch;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly maxChars: number;
  private readonly feeds = new Map<string, FeedState>();
  private readonly listeners = new Set<ChangeListener>();
  private running = false;

  constructor(opts: VendorFeedPollerOptions) {
    this.clock = opts.clock ?? createSystemClock();
    this.fetch = opts.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.random = opts.random ?? Math.random;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.maxChars = opts.maxChars ?? 32 * 1024 * 1024;
    for (const config of opts.feeds) this.feeds.set(config.provider, { config });
  }

  /** Begin polling: first read soon (jittered within 5 s), then every interval ±10%. */
  start(): void {
    if (this.running) return;
    this.running = true;
    for (const state of this.feeds.values()) this.schedule(state, Math.floor(this.random() * Math.min(5_000, state.config.intervalMs)));
  }

  stop(): void {
    this.running = false;
    for (const state of this.feeds.values()) {
      if (state.timer) this.clock.clearTimeout(state.timer);
      state.timer = undefined;
    }
  }

  /** Read every feed (or one) now; resolves when done. Never rejects. */
  async pollNow(provider?: string): Promise<void> {
    const states = [...this.feeds.values()].filter((s) => provider === undefined || s.config.provider === provider);
    await Promise.all(states.map((s) => this.poll(s)));
  }

  /** The latest status per provider that has been read at least once (successfully or not), in config order. */
  latest(): VendorStatus[] {
    const out: VendorStatus[] = [];
    for (const { config, status, failure } of this.feeds.values()) {
      if (status) out.push(failure ? { ...status, fetchError: { ...failure } } : status);
      else if (failure) {
        out.push({ provider: config.provider, format: config.format, pageUrl: origin(config.url), indicator: 'unknown', components: [], incidents: [], fetchedAt: failure.lastAttemptAt, fetchError: { ...failure } });
      }
    }
    return out;
  }

  /** Called with a provider's new status whenever what it says changes (including its feed failing or recovering). */
  onChange(cb: ChangeListener): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private schedule(state: FeedState, delayMs: number): void {
    if (!this.running) return;
    state.timer = this.clock.setTimeout(() => {
      state.timer = undefined;
      void this.poll(state).then(() => {
        const interval = state.config.intervalMs;
        this.schedule(state, Math.round(interval * (0.9 + 0.2 * this.random())));
      });
    }, delayMs);
  }

  private poll(state: FeedState): Promise<void> {
    // One read per feed at a time: a slow vendor must not pile up requests.
    state.inFlight ??= this.read(state).finally(() => {
      state.inFlight = undefined;
    });
    return state.inFlight;
  }

  private async read(state: FeedState): Promise<void> {
    const { config } = state;
    const startedAt = this.clock.now();
    try {
      const docs: FeedDocuments = { text: await this.get(config.url) };
      if (config.componentsUrl) docs.componentsText = await this.get(config.componentsUrl);
      const r = parseFeed(config.format, docs, {
        provider: config.provider,
        fetchedAt: startedAt,
        pageUrl: origin(config.url),
        ...(config.products ? { products: config.products } : {}),
      });
      if (!r.ok) throw r.error;
      state.status = r.status;
      state.failure = undefined;
    } catch (e) {
      const message = describe(e);
      const prev = state.failure;
      state.failure = { message, since: prev?.since ?? startedAt, lastAttemptAt: startedAt, consecutiveFailures: (prev?.consecutiveFailures ?? 0) + 1 };
    }
    this.emitIfChanged(state);
  }

  private async get(url: string): Promise<string> {
    const ac = new AbortController();
    const timer = this.clock.setTimeout(() => ac.abort(new FeedFetchError(`timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
    try {
      const aborted = new Promise<never>((_, reject) => ac.signal.addEventListener('abort', () => reject(ac.signal.reason), { once: true }));
      const work = (async () => {
        const res = await this.fetch(url, { signal: ac.signal, headers: { accept: 'application/json', 'user-agent': 'switchyard-status/1' } });
        if (res.status < 200 || res.status >= 300) throw new FeedFetchError(`HTTP ${res.status} from ${url}`);
        const text = await res.text();
        if (text.length > this.maxChars) throw new FeedFetchError(`body larger than ${this.maxChars} characters from ${url}`);
        return text;
      })();
      // A late rejection after a timeout is expected; it must not surface as unhandled.
      work.catch(() => undefined);
      // Race so a fetch that ignores its signal still cannot hang the poller.
      return await Promise.race([work, aborted]);
    } finally {
      this.clock.clearTimeout(timer);
    }
  }

  private emitIfChanged(state: FeedState): void {
    const s = state.status;
    const fp = JSON.stringify([
      state.failure ? 'failing' : 'ok',
      s?.indicator,
      s?.components.map((c) => [c.id, c.state, c.underMaintenance]),
      s?.incidents.map((i) => [i.id, i.status, i.impact, i.updates.length]),
    ]);
    if (fp === state.fingerprint) return;
    state.fingerprint = fp;
    const current = this.latest().find((x) => x.provider === state.config.provider);
    if (!current) return;
    for (const cb of this.listeners) {
      try {
        cb(current);
      } catch {
        // A listener's bug must not stop polling or other listeners.
      }
    }
  }
}

export class FeedFetchError extends Error {
  override readonly name = 'FeedFetchError';
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const code = (e.cause as { code?: string } | undefined)?.code;
    return code ? `${e.message} (${code})` : e.message;
  }
  return String(e);
}
