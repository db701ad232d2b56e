/**
 * One upstream HTTP exchange on undici's low-level dispatch API: the response
 * arrives as callbacks, with no Readable stream, async iterator or extra
 * promise per chunk in between (the request hot path). Bodies are either
 * buffered (JSON, errors) or pushed to one consumer (SSE streams), with
 * pause/resume for backpressure.
 *
 * It implements undici's callback handler (onConnect/onHeaders/onData/
 * onComplete/onError), which undici calls directly: the controller-style
 * handler is wrapped per request and parses every response header into an
 * object, while a successful answer needs none of them. Headers are read from
 * the raw list only when asked (errors: Retry-After, request ids).
 */
import type { Client, Dispatcher } from 'undici';
import type { SignalLike } from '../core/cancel.js';
import { gatewayError } from '../core/errors.js';
import { tell, type Sink } from '../core/sink.js';
import { connectionError } from './http-client.js';
import type { OriginPool, UpstreamPools } from './upstream-pool.js';

type Consumer = { data(chunk: Buffer): void; end(): void; error(e: Error): void };

/** Where an exchange goes: the provider it is for (named in errors), its origin's pool and the request path. */
export interface Endpoint {
  readonly provider: string;
  readonly pool: OriginPool;
  /** Path and query. */
  readonly path: string;
}

export class Exchange implements Dispatcher.DispatchHandler {
  status = 0;
  private rawHeaders: Buffer[] | undefined;
  private headers: Map<string, string> | undefined;
  private abortFn: ((reason: Error) => void) | undefined;
  private resumeFn: (() => void) | undefined;
  private abortReason: Error | undefined;
  private paused = false;
  private buffered: Buffer[] = [];
  private ended = false;
  private headed = false;
  private failure: Error | undefined;
  private consumer: Consumer | undefined;
  /** Listening to the signal (as itself: see handleEvent). */
  private listening = false;
  /** The pooled connection, until it goes back (once, when the response ended or failed). */
  private client: Client | undefined;

  /** Told how the exchange opened: what `head` makes of the answer once the headers are in, or the error before them. */
  private to: Sink<unknown> | undefined;

  constructor(
    private readonly provider: string,
    private readonly signal: SignalLike | undefined,
    private readonly pool: OriginPool,
    client: Client,
    private readonly head: (ex: Exchange, arg: unknown) => unknown,
    private readonly headArg: unknown,
    to: Sink<unknown>,
  ) {
    this.client = client;
    this.to = to;
  }

  /**
   * A response header (first value), by lower-case name. Kept for answers that
   * are not 2xx only (error decoding: Retry-After, request ids): a streamed
   * answer would otherwise hold its header buffers for as long as it runs.
   */
  header(name: string): string | undefined {
    if (!this.headers) {
      const m = new Map<string, string>();
      const raw = this.rawHeaders ?? [];
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const key = raw[i]!.toString('latin1').toLowerCase();
        if (!m.has(key)) m.set(key, raw[i + 1]!.toString('latin1'));
      }
      this.headers = m;
    }
    return this.headers.get(name);
  }

  /** @internal send the request on the exchange's connection; its answer comes back to the handler methods below. */
  send(path: string, method: 'GET' | 'POST', headers: Record<string, string>, body: string | undefined): void {
    try {
      this.client!.dispatch({ path, method, headers, ...(body === undefined ? {} : { body }) }, this);
    } catch (e) {
      // Rejected before anything was sent (invalid request options): the connection is not used.
      this.onError(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** Abort the exchange; the reason becomes the error consumers see. */
  abort(reason: Error): void {
    if (this.ended || this.failure) return;
    this.abortReason = reason;
    this.abortFn?.(reason);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.resumeFn?.();
  }

  /** The whole body, up to `limit` bytes kept (the rest is read and dropped). */
  body(limit = Infinity): Promise<Buffer> {
    return new Promise((resolve, reject) => this.consume(new BodyReader(limit, resolve, reject)));
  }

  /**
   * The whole body, or an `upstream_too_large` failure (and the exchange aborted) once it passes
   * `max` bytes: an answer far beyond any real one must not fill the gateway's memory.
   */
  bodyAtMost(max: number): Promise<Buffer> {
    return new Promise((resolve, reject) => this.consume(new BodyReader(max, resolve, reject, this)));
  }

  /** @internal the answer passed `max` bytes: fail it, and stop reading. */
  overflowed(max: number, reject: (e: Error) => void): void {
    const e = gatewayError('upstream_too_large', `${this.provider} answered with more than ${Math.round(max / 1048576)} MiB; the answer was dropped.`, { provider: this.provider });
    reject(e);
    this.abort(e);
  }

  /** Deliver the body to one consumer: what already arrived first, then as it comes. */
  consume(c: Consumer): void {
    this.consumer = c;
    const early = this.buffered;
    this.buffered = [];
    for (const b of early) c.data(b);
    if (this.failure) c.error(this.failure);
    else if (this.ended) c.end();
  }

  // undici's callback handler.

  onConnect(abort: (err?: Error) => void): void {
    this.abortFn = abort;
    if (this.abortReason) return abort(this.abortReason);
    const signal = this.signal;
    if (!signal) return;
    if (signal.aborted) return this.handleEvent();
    this.listening = true;
    signal.addEventListener('abort', this, { once: true });
  }

  onHeaders(statusCode: number, headers: Buffer[] | string[] | null, resume: () => void): boolean {
    if (statusCode < 200) return true; // 1xx informational
    this.status = statusCode;
    if (statusCode >= 300) this.rawHeaders = (headers ?? []) as Buffer[];
    this.resumeFn = resume;
    this.headed = true;
    const to = this.to!;
    this.to = undefined;
    let value: unknown;
    try {
      value = this.head(this, this.headArg);
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      to.failed(err);
      this.abort(err);
      return false;
    }
    // An error answer is a promise (its body is read first); the sink hears how it settles.
    if (value instanceof Promise) tell(value, to);
    else to.done(value);
    return !this.paused;
  }

  onData(chunk: Buffer): boolean {
    if (this.consumer) this.consumer.data(chunk);
    else this.buffered.push(chunk);
    return !this.paused;
  }

  onComplete(): void {
    this.done();
    this.ended = true;
    this.consumer?.end();
  }

  onError(err: Error): void {
    this.done();
    // Before the headers: the request failed (refused, reset, timeout). After: the body was cut,
    // which the body's reader types (a cut stream, a truncated JSON answer).
    if (!this.headed) {
      const to = this.to;
      this.to = undefined;
      to?.failed(connectionError(this.provider, this.abortReason ?? err, this.signal));
      return;
    }
    this.failure = this.abortReason ?? err;
    this.consumer?.error(this.failure);
  }

  /** @internal the signal aborted: the exchange aborts with its reason. */
  handleEvent(): void {
    const r: unknown = this.signal!.reason;
    this.abort(r instanceof Error ? r : new Error(String(r)));
  }

  /** The connection goes back to its pool once, when the response ended or failed. */
  private done(): void {
    if (this.listening) this.signal!.removeEventListener('abort', this);
    this.listening = false;
    const client = this.client;
    this.client = undefined;
    if (client) this.pool.release(client);
  }
}

/**
 * A whole body into one buffer, up to `limit` bytes kept (the exchange's consumer). With `strict`,
 * a body over the limit fails instead (the exchange aborts it).
 */
class BodyReader implements Consumer {
  private parts: Buffer[] = [];
  private size = 0;

  constructor(
    private readonly limit: number,
    private readonly resolve: (b: Buffer) => void,
    readonly error: (e: Error) => void,
    private strict?: Exchange,
  ) {}

  data(c: Buffer): void {
    const { size, limit } = this;
    if (size + c.length > limit && this.strict) {
      const ex = this.strict;
      this.strict = undefined;
      this.parts = [];
      this.size = Infinity;
      ex.overflowed(limit, this.error);
      return;
    }
    if (size < limit) this.parts.push(size + c.length <= limit ? c : c.subarray(0, limit - size));
    this.size = size + c.length;
  }

  end(): void {
    this.resolve(this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts));
  }
}

/** The endpoint of an absolute URL, in `pools`: providers make one per URL they call and keep it. */
export function endpoint(provider: string, pools: UpstreamPools, url: string): Endpoint {
  const u = new URL(url);
  return { provider, pool: pools.pool(u.origin), path: u.pathname + u.search };
}

/**
 * Send a request to `at`; `to` is told (once) what `head` makes of the response as soon as its
 * headers are in (e.g. a stream reading its body, or the rejection of an error answer), or the
 * error before them. A throw from `head` fails it and aborts the exchange.
 */
export function exchange<T, A>(
  at: Endpoint,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body: string | undefined,
  signal: SignalLike | undefined,
  head: (ex: Exchange, arg: A) => T | Promise<T>,
  arg: A,
  to: Sink<T>,
): void {
  const ex = new Exchange(at.provider, signal, at.pool, at.pool.acquire(), head as (ex: Exchange, arg: unknown) => unknown, arg, to as Sink<unknown>);
  ex.send(at.path, method, headers, body);
}

/** A `head` that keeps the exchange itself (its status, headers and body for the caller to read). */
export const asIs = (ex: Exchange): Exchange => ex;
