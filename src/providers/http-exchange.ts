/**
 * One upstream HTTP exchange on undici's low-level dispatch API: the response
 * arrives as callbacks, with no Readable stream, async iterator or extra
 * promise per chunk in between (the request hot path). Bodies are either
 * buffered (JSON, errors) or pushed to one consumer (SSE streams), with
 * pause/resume for backpressure.
 */
import type { Dispatcher } from 'undici';
import type { SignalLike } from '../core/cancel.js';
import { connectionError } from './http-client.js';
import { originPool } from './upstream-pool.js';

type Consumer = { data(chunk: Buffer): void; end(): void; error(e: Error): void };

export class Exchange {
  status = 0;
  private headers: Record<string, string | string[] | undefined> = {};
  private controller: Dispatcher.DispatchController | undefined;
  private abortReason: Error | undefined;
  private buffered: Buffer[] = [];
  private ended = false;
  private failure: Error | undefined;
  private consumer: Consumer | undefined;

  header(name: string): string | undefined {
    const v = this.headers[name];
    return Array.isArray(v) ? v[0] : v;
  }

  /** Abort the exchange; the reason becomes the error consumers see. */
  abort(reason: Error): void {
    if (this.ended || this.failure) return;
    this.abortReason = reason;
    this.controller?.abort(reason);
  }

  pause(): void {
    this.controller?.pause();
  }

  resume(): void {
    this.controller?.resume();
  }

  /** The whole body, up to `limit` bytes kept (the rest is read and dropped). */
  body(limit = Infinity): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const parts: Buffer[] = [];
      let size = 0;
      this.consume({
        data: (c) => {
          if (size < limit) parts.push(size + c.length <= limit ? c : c.subarray(0, limit - size));
          size += c.length;
        },
        end: () => resolve(parts.length === 1 ? parts[0]! : Buffer.concat(parts)),
        error: reject,
      });
    });
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

  /** @internal the dispatch handler's callbacks */
  handler(provider: string, signal: SignalLike | undefined, onHead: (e: Exchange) => void, onFail: (e: Error) => void, onDone: () => void): Dispatcher.DispatchHandler {
    let headed = false;
    const onAbort = () => this.abort(signal!.reason instanceof Error ? signal!.reason : new Error(String(signal!.reason)));
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      onDone();
    };
    return {
      onRequestStart: (controller) => {
        this.controller = controller;
        if (this.abortReason) controller.abort(this.abortReason);
        else if (signal) {
          if (signal.aborted) onAbort();
          else signal.addEventListener('abort', onAbort, { once: true });
        }
      },
      onResponseStart: (_controller, statusCode, headers) => {
        if (statusCode < 200) return; // 1xx informational
        this.status = statusCode;
        this.headers = headers as Record<string, string | string[] | undefined>;
        headed = true;
        onHead(this);
      },
      onResponseData: (_controller, chunk) => {
        if (this.consumer) this.consumer.data(chunk);
        else this.buffered.push(chunk);
      },
      onResponseEnd: () => {
        done();
        this.ended = true;
        this.consumer?.end();
      },
      onResponseError: (_controller, err) => {
        done();
        // Before the headers: the request failed (refused, reset, timeout). After: the body was cut,
        // which the body's reader types (a cut stream, a truncated JSON answer).
        if (!headed) return onFail(connectionError(provider, this.abortReason ?? err, signal));
        this.failure = this.abortReason ?? err;
        this.consumer?.error(this.failure);
      },
    };
  }
}

/** URL parsing is cached: a provider calls the same few URLs all day. */
const parsed = new Map<string, { origin: string; path: string }>();

function split(url: string): { origin: string; path: string } {
  let p = parsed.get(url);
  if (!p) {
    const u = new URL(url);
    p = { origin: u.origin, path: u.pathname + u.search };
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(url, p);
  }
  return p;
}

/** Send a request; resolves when the response headers are in. Rejects with GatewayError. */
export function exchange(
  provider: string,
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
  signal?: SignalLike,
): Promise<Exchange> {
  const { origin, path } = split(url);
  const ex = new Exchange();
  const pool = originPool(origin);
  const client = pool.acquire();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    pool.release(client);
  };
  return new Promise((resolve, reject) => {
    client.dispatch({ path, method, headers, ...(body === undefined ? {} : { body }) }, ex.handler(provider, signal, resolve, reject, release));
  });
}
