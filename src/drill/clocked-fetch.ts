/**
 * The `fetch` an official SDK client gets in the no-gateway baseline, so the SDK keeps its
 * own retry decisions (how many, on which statuses and connection errors) while its waits
 * run on the drill's clock instead of the wall clock: the SDK is told to wait 0, and this
 * fetch waits, before the retry, exactly what the SDK would have waited — Retry-After /
 * retry-after-ms when the answer has them, else its backoff (0.5 s doubling to 8 s, minus up
 * to 25% jitter: openai 6.x and @anthropic-ai/sdk 1.x, `calculateDefaultRetryTimeoutMillis`).
 * The SDKs' 10-minute timeout to the response's headers runs on the clock too. One instance
 * serves one client request (its attempts are numbered from 0).
 */
import type { Clock } from '../core/clock.js';
import { draws } from '../sim/condition-driver.js';

/** Both SDKs' default timeout: 10 minutes to the response headers. */
export const SDK_TIMEOUT_MS = 600_000;

export class ClockedFetch {
  private calls = 0;
  private waitMs = 0;

  constructor(
    private readonly clock: Clock,
    private readonly seed: number,
    private readonly key: string,
  ) {}

  /** What the SDK needs from its client object: no sleep of its own between attempts. */
  static silence<T extends object>(client: T): T {
    (client as unknown as { calculateDefaultRetryTimeoutMillis: () => number }).calculateDefaultRetryTimeoutMillis = () => 0;
    return client;
  }

  readonly fetch = async (url: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const n = this.calls++;
    if (this.waitMs > 0) {
      await sleep(this.clock, this.waitMs, init.signal ?? undefined);
      this.waitMs = 0;
    }
    // The SDK's signal must keep reaching the body after the headers: it is how a stream is abandoned.
    const ctl = new AbortController();
    init.signal?.addEventListener('abort', () => ctl.abort(init.signal?.reason), { once: true });
    const timer = this.clock.setTimeout(() => ctl.abort(new DOMException('The operation timed out.', 'AbortError')), SDK_TIMEOUT_MS);
    try {
      const res = await fetch(url, { ...init, signal: ctl.signal });
      if (res.ok) return res;
      this.waitMs = this.retryAfter(res.headers) ?? this.backoff(n);
      // Without its Retry-After the SDK asks its (silenced) backoff: it waits 0, and this fetch waits instead.
      const headers = new Headers(res.headers);
      headers.delete('retry-after');
      headers.delete('retry-after-ms');
      return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
    } catch (e) {
      this.waitMs = this.backoff(n);
      throw e;
    } finally {
      this.clock.clearTimeout(timer);
    }
  };

  /** The SDKs' reading of retry-after-ms, then Retry-After (seconds or a date); only a positive wait counts. */
  private retryAfter(h: Headers): number | undefined {
    const ms = parseFloat(h.get('retry-after-ms') ?? '');
    if (ms > 0) return ms;
    const ra = h.get('retry-after');
    if (!ra) return undefined;
    const secs = parseFloat(ra);
    const wait = Number.isNaN(secs) ? Date.parse(ra) - this.clock.now() : secs * 1000;
    return wait > 0 ? wait : undefined;
  }

  /** The SDKs' default backoff before retry number n+1, with the jitter drawn from the seed. */
  private backoff(n: number): number {
    const seconds = Math.min(0.5 * 2 ** n, 8);
    return seconds * (1 - draws(this.seed, this.key, n)[0] * 0.25) * 1000;
  }
}

function sleep(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clock.clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = clock.setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
