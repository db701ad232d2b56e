/**
 * Opens a streamed attempt and holds it until the first token: only then is
 * the attempt a success (the client's headers can go out and failover is no
 * longer free). A time-to-first-token timer bounds the wait; afterwards an
 * idle-gap timer guards each read, never a total timer that would kill a
 * healthy long stream (DESIGN.md).
 */
import { Cancel, type SignalLike } from '../core/cancel.js';
import type { Clock } from '../core/clock.js';
import { GatewayError } from '../core/errors.js';
import type { StreamChunk, UpstreamStream } from '../providers/types.js';
import type { Target } from './route-table.js';

export interface OpenedStream {
  stream: UpstreamStream;
  /** Chunks read up to and including the first token; whoever forwards them empties it (their reads aren't held for the stream's life). */
  head: StreamChunk[];
  ttftMs: number;
  /** Read the next chunk; rejects `stalled` after idleMs without one. */
  next(): Promise<IteratorResult<StreamChunk>>;
  /** The next chunk (or the end) if it is already here: no promise, no idle timer. Undefined: call next(). Throws the stream's failure. */
  poll(): IteratorResult<StreamChunk> | undefined;
}

export function ttftTimeout(label: string, ms: number): GatewayError {
  return new GatewayError({ code: 'ttft_timeout', message: `${label} sent no first token within ${ms / 1000}s.`, status: 504, kind: 'timeout', provider: label });
}

export function stalledError(label: string, ms: number): GatewayError {
  return new GatewayError({ code: 'upstream_stalled', message: `${label} stopped sending for ${ms / 1000}s in the middle of the answer.`, status: 504, kind: 'stalled', provider: label });
}

/** Run `fn` with a per-attempt timer: on expiry its signal aborts with `err()`. */
export async function withTimer<T>(clock: Clock, ms: number, parent: SignalLike, err: () => GatewayError, fn: (signal: SignalLike) => Promise<T>): Promise<T> {
  const ctrl = new Cancel();
  const onAbort = () => ctrl.abort(parent.reason);
  if (parent.aborted) onAbort();
  else parent.addEventListener('abort', onAbort, { once: true });
  const timer = clock.setTimeout(() => ctrl.abort(err()), ms);
  try {
    return await fn(ctrl.signal);
  } catch (e) {
    // A socket error raced with our abort: report why we aborted.
    if (ctrl.signal.aborted && ctrl.signal.reason instanceof GatewayError) throw ctrl.signal.reason;
    throw e;
  } finally {
    clock.clearTimeout(timer);
    parent.removeEventListener('abort', onAbort);
  }
}

function hasToken(chunk: StreamChunk): boolean {
  return chunk.token === true || chunk.events.some((e) => e.type === 'text' || e.type === 'tool-call-start' || e.type === 'finish');
}

export async function openStream(
  clock: Clock,
  target: Target,
  timeouts: { ttftMs: number; idleMs: number },
  signal: SignalLike,
  open: (target: Target, signal: SignalLike) => Promise<UpstreamStream>,
): Promise<OpenedStream> {
  const label = target.label;
  const started = clock.now();
  // One controller for the stream's whole life: it follows the request (deadline, client gone)
  // and the TTFT timer until the first token arrives.
  const ctrl = new Cancel(signal);
  const timer = clock.setTimeout(ttftExpired, timeouts.ttftMs, { ctrl, label, ms: timeouts.ttftMs });
  let stream: UpstreamStream | undefined;
  const head: StreamChunk[] = [];
  let it: AsyncIterator<StreamChunk> | undefined;
  try {
    stream = await open(target, ctrl.signal);
    it = stream[Symbol.asyncIterator]();
    for (;;) {
      const r = stream.poll?.() ?? (await it.next());
      if (r.done) break;
      head.push(r.value);
      if (hasToken(r.value)) break;
    }
  } catch (e) {
    const err = ctrl.signal.aborted && ctrl.signal.reason instanceof GatewayError ? ctrl.signal.reason : e;
    stream?.cancel(err);
    throw err;
  } finally {
    clock.clearTimeout(timer);
  }
  return new Opened(clock, label, timeouts.idleMs, stream!, it!, head, clock.now() - started);
}

/** The TTFT timer's argument: what it aborts, and what the error says (an object, not a closure over openStream's locals). */
function ttftExpired(t: { ctrl: Cancel; label: string; ms: number }): void {
  t.ctrl.abort(ttftTimeout(t.label, t.ms));
}

/** An opened stream after its first token (a class: nothing captured per request). */
class Opened implements OpenedStream {
  constructor(
    private readonly clock: Clock,
    private readonly label: string,
    private readonly idleMs: number,
    readonly stream: UpstreamStream,
    private readonly iterator: AsyncIterator<StreamChunk>,
    public head: StreamChunk[],
    readonly ttftMs: number,
  ) {}

  poll(): IteratorResult<StreamChunk> | undefined {
    return this.stream.poll?.();
  }

  next(): Promise<IteratorResult<StreamChunk>> {
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        const err = stalledError(this.label, this.idleMs);
        this.stream.cancel(err);
        reject(err);
      }, this.idleMs);
      this.iterator.next().then(
        (r) => {
          this.clock.clearTimeout(timer);
          resolve(r);
        },
        (e: unknown) => {
          this.clock.clearTimeout(timer);
          reject(e);
        },
      );
    });
  }
}
