/**
 * Opens a streamed attempt and holds it until the first token: only then is
 * the attempt a success (the client's headers can go out and failover is no
 * longer free). A time-to-first-token timer bounds the wait; afterwards an
 * idle-gap timer guards each read, never a total timer that would kill a
 * healthy long stream (DESIGN.md).
 */
import type { Sink } from '../core/sink.js';
import { Cancel, type SignalLike } from '../core/cancel.js';
import type { Clock, TimerHandle } from '../core/clock.js';
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

/**
 * Run `fn` with a per-attempt timer: on expiry its signal aborts with `err()`. No async frame is
 * held while the upstream thinks: the attempt's state is one AttemptTimer.
 */
export function withTimer<T>(clock: Clock, ms: number, parent: SignalLike, err: () => GatewayError, fn: (signal: SignalLike) => Promise<T>): Promise<T> {
  const t = new AttemptTimer(clock, ms, parent, err);
  let p: Promise<T>;
  try {
    p = fn(t);
  } catch (e) {
    return Promise.reject(t.failure(e));
  }
  return p.then(
    (v) => {
      t.dispose();
      return v;
    },
    (e: unknown) => {
      throw t.failure(e);
    },
  );
}

/** One attempt's signal: follows the request's, and aborts on its own timer. */
class AttemptTimer extends Cancel {
  private readonly timer: TimerHandle;

  constructor(
    private readonly clock: Clock,
    ms: number,
    private readonly parentSignal: SignalLike,
    err: () => GatewayError,
  ) {
    super(parentSignal);
    this.timer = clock.setTimeout(attemptExpired, ms, { ctrl: this, err });
  }

  /** The attempt settled: stop the timer and stop following the request. */
  dispose(): void {
    this.clock.clearTimeout(this.timer);
    this.parentSignal.removeEventListener('abort', this);
  }

  /** Why the attempt failed: when we aborted it (timer, request), our reason; a socket error may have raced with it. */
  failure(e: unknown): unknown {
    this.dispose();
    return this.aborted && this.reason instanceof GatewayError ? this.reason : e;
  }
}

function attemptExpired(t: { ctrl: Cancel; err: () => GatewayError }): void {
  t.ctrl.abort(t.err());
}

function hasToken(chunk: StreamChunk): boolean {
  return chunk.token === true || chunk.events.some((e) => e.type === 'text' || e.type === 'tool-call-start' || e.type === 'finish');
}

/** Start opening a stream on `target` under `signal`, telling `to` (once) how it went; it must not throw. */
export type StreamOpen = (target: Target, signal: SignalLike, to: Sink<UpstreamStream>) => void;

/**
 * Open a stream and read it up to its first token. No async frame is held while the upstream
 * thinks: the state is one Opening object, which the exchange tells directly when the headers are
 * in (with hundreds of requests in flight, what each holds is what every young-generation
 * collection copies).
 */
export function openStream(clock: Clock, target: Target, timeouts: { ttftMs: number; idleMs: number }, signal: SignalLike, open: StreamOpen): Promise<OpenedStream> {
  return new Promise<OpenedStream>((resolve, reject) => openStreamTo(clock, target, timeouts, signal, open, { done: resolve, failed: reject }));
}

/** As openStream, telling `to` (once) instead of settling a promise: the request hot path. Never throws. */
export function openStreamTo(clock: Clock, target: Target, timeouts: { ttftMs: number; idleMs: number }, signal: SignalLike, open: StreamOpen, to: Sink<OpenedStream>): void {
  new Opening(clock, target.label, timeouts, signal, to).start(target, open);
}

/** A stream being opened: until its first token, under the time-to-first-token timer. */
class Opening implements Sink<UpstreamStream> {
  private readonly started: number;
  // One controller for the stream's whole life: it follows the request (deadline, client gone)
  // and the TTFT timer until the first token arrives.
  private readonly ctrl: Cancel;
  private readonly timer: TimerHandle;
  private stream: UpstreamStream | undefined = undefined;
  private it: AsyncIterator<StreamChunk> | undefined = undefined;
  private readonly head: StreamChunk[] = [];
  /** `to` was told (opened or failed): it is told once, whatever races after. */
  private told = false;

  constructor(
    private readonly clock: Clock,
    private readonly label: string,
    private readonly timeouts: { ttftMs: number; idleMs: number },
    signal: SignalLike,
    private readonly to: Sink<OpenedStream>,
  ) {
    this.started = clock.now();
    this.ctrl = new Cancel(signal);
    this.timer = clock.setTimeout(ttftExpired, timeouts.ttftMs, { ctrl: this.ctrl, label, ms: timeouts.ttftMs });
  }

  start(target: Target, open: StreamOpen): void {
    try {
      open(target, this.ctrl.signal, this);
    } catch (e) {
      this.fail(e);
    }
  }

  /** @internal the upstream answered 2xx with headers (Sink<UpstreamStream>). */
  done(stream: UpstreamStream): void {
    if (this.told) {
      // Opened after the opening had already failed (its timer, the request's end): nobody will read it.
      stream.cancel(this.ctrl.signal.aborted ? this.ctrl.signal.reason : abandoned(this.label));
      return;
    }
    this.stream = stream;
    try {
      this.it = stream[Symbol.asyncIterator]();
    } catch (e) {
      this.fail(e);
      return;
    }
    this.read();
  }

  /** Read what is already here; wait for the next chunk only when nothing is. */
  private read(): void {
    const stream = this.stream!;
    try {
      for (;;) {
        const r = stream.poll?.();
        if (r === undefined) {
          this.it!.next().then(
            (next) => {
              try {
                if (this.took(next)) this.read();
              } catch (e) {
                this.fail(e);
              }
            },
            (e: unknown) => this.fail(e),
          );
          return;
        }
        if (!this.took(r)) return;
      }
    } catch (e) {
      this.fail(e);
    }
  }

  /** Keep a chunk; true while the first token is still to come (false: opened, or ended). */
  private took(r: IteratorResult<StreamChunk>): boolean {
    if (!r.done) {
      this.head.push(r.value);
      if (!hasToken(r.value)) return true;
    }
    this.clock.clearTimeout(this.timer);
    if (this.told) return false;
    this.told = true;
    this.to.done(new Opened(this.clock, this.label, this.timeouts.idleMs, this.stream!, this.it!, this.head, this.clock.now() - this.started));
    return false;
  }

  /** @internal the stream could not be opened (Sink<UpstreamStream>). */
  failed(e: unknown): void {
    this.fail(e);
  }

  /** Nothing may escape from here: these run as callbacks (the exchange's, promise reactions) whose callers can't take a throw. */
  private fail(e: unknown): void {
    if (this.told) return;
    this.told = true;
    // A socket error raced with our abort (the TTFT timer, the deadline): report why we aborted.
    const err = this.ctrl.signal.aborted && this.ctrl.signal.reason instanceof GatewayError ? this.ctrl.signal.reason : e;
    try {
      this.stream?.cancel(err);
    } catch {
      // The stream could not even be cancelled: the failure below still says why it ended.
    }
    this.clock.clearTimeout(this.timer);
    this.to.failed(err);
  }
}

function abandoned(label: string): GatewayError {
  return new GatewayError({ code: 'request_aborted', message: `The stream from ${label} opened after its attempt had ended.`, status: 499, kind: 'cut', retryable: false, provider: label });
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
