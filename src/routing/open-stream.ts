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
import { gatewayError, GatewayError, requestAborted } from '../core/errors.js';
import type { StreamChunk, StreamWaiter, UpstreamStream } from '../providers/types.js';
import type { AttemptTimers } from './attempt-timers.js';
import type { Target } from './route-table.js';

export interface OpenedStream {
  stream: UpstreamStream;
  /** Chunks read up to and including the first token; whoever forwards them empties it (their reads aren't held for the stream's life). */
  head: StreamChunk[];
  ttftMs: number;
  /** The next chunk (or the end) if it is already here; undefined: wait(). Throws the stream's failure, `stalled` after an idle gap. */
  poll(): IteratorResult<StreamChunk> | undefined;
  /** Tell `w` once when poll() has something, or after idleMs without anything (then poll() throws `stalled`). */
  wait(w: StreamWaiter): void;
}

export function ttftTimeout(label: string, ms: number): GatewayError {
  return gatewayError('ttft_timeout', `${label} sent no first token within ${ms / 1000}s.`, { provider: label });
}

export function stalledError(label: string, ms: number): GatewayError {
  return gatewayError('upstream_stalled', `${label} stopped sending for ${ms / 1000}s in the middle of the answer.`, { provider: label });
}

/**
 * Run an attempt under its own timer: `start` gets a signal that follows the request's and aborts
 * with `err()` when the timer fires first; `to` is told once. The attempt's state while the
 * upstream thinks is this one object (it is the attempt's sink, and its timer's argument).
 */
export function timed<T>(clock: Clock, ms: number, parent: SignalLike, err: () => GatewayError, start: (signal: SignalLike, to: Sink<T>) => void, to: Sink<T>): void {
  const t = new AttemptTimer(clock, ms, parent, err, to);
  try {
    start(t, t);
  } catch (e) {
    t.failed(e);
  }
}

/** One attempt's signal: follows the request's, and aborts on its own timer. */
class AttemptTimer<T> extends Cancel implements Sink<T> {
  private readonly timer: TimerHandle;
  private told = false;

  constructor(
    private readonly clock: Clock,
    ms: number,
    private readonly parentSignal: SignalLike,
    err: () => GatewayError,
    private readonly to: Sink<T>,
  ) {
    super(parentSignal);
    this.timer = clock.setTimeout(attemptExpired, ms, { ctrl: this, err });
  }

  /** The attempt settled: stop the timer and stop following the request. */
  private dispose(): void {
    this.clock.clearTimeout(this.timer);
    this.parentSignal.removeEventListener('abort', this);
  }

  done(value: T): void {
    if (this.told) return;
    this.told = true;
    this.dispose();
    this.to.done(value);
  }

  /** Why the attempt failed: when we aborted it (timer, request), our reason; a socket error may have raced with it. */
  failed(e: unknown): void {
    if (this.told) return;
    this.told = true;
    this.dispose();
    this.to.failed(this.aborted && this.reason instanceof GatewayError ? this.reason : e);
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
 * Open a stream and read it up to its first token, telling `to` once. While the upstream thinks,
 * the state is one Opening object, which the exchange tells directly when the headers are in.
 */
export function openStream(clock: Clock, target: Target, timeouts: AttemptTimers, signal: SignalLike, open: StreamOpen, to: Sink<OpenedStream>): void {
  new Opening(clock, target.label, timeouts, signal, to).start(target, open);
}

/** A stream being opened: until its first token, under the time-to-first-token timer. */
class Opening implements Sink<UpstreamStream>, StreamWaiter {
  private readonly started: number;
  // One controller for the stream's whole life: it follows the request (deadline, client gone)
  // and the TTFT timer until the first token arrives.
  private readonly ctrl: Cancel;
  private readonly timer: TimerHandle;
  private stream: UpstreamStream | undefined = undefined;
  private readonly head: StreamChunk[] = [];
  /** `to` was told (opened or failed): it is told once, whatever races after. */
  private told = false;

  constructor(
    private readonly clock: Clock,
    private readonly label: string,
    private readonly timeouts: AttemptTimers,
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
    this.readable();
  }

  /** @internal read what is here (StreamWaiter); wait for more only while the first token is still to come. */
  readable(): void {
    const stream = this.stream!;
    try {
      for (;;) {
        const r = stream.poll();
        if (r === undefined) return stream.wait(this);
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
    this.to.done(new Opened(this.clock, this.label, this.timeouts, this.stream!, this.head, this.clock.now() - this.started));
    return false;
  }

  /** @internal the stream could not be opened (Sink<UpstreamStream>). */
  failed(e: unknown): void {
    this.fail(e);
  }

  /** Nothing may escape from here: these run as callbacks (the exchange's, the stream's) whose callers can't take a throw. */
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
  return requestAborted(`The stream from ${label} opened after its attempt had ended.`, label);
}

/** The TTFT timer's argument: what it aborts, and what the error says. */
function ttftExpired(t: { ctrl: Cancel; label: string; ms: number }): void {
  t.ctrl.abort(ttftTimeout(t.label, t.ms));
}

/** An opened stream after its first token: reads under the idle-gap timer, and teaches the target's rhythm. */
class Opened implements OpenedStream, StreamWaiter {
  private waiter: StreamWaiter | undefined = undefined;
  private timer: TimerHandle | undefined = undefined;
  private waitedSince = 0;

  constructor(
    private readonly clock: Clock,
    private readonly label: string,
    private readonly timeouts: AttemptTimers,
    readonly stream: UpstreamStream,
    public head: StreamChunk[],
    readonly ttftMs: number,
  ) {}

  poll(): IteratorResult<StreamChunk> | undefined {
    return this.stream.poll();
  }

  wait(w: StreamWaiter): void {
    this.waiter = w;
    this.waitedSince = this.clock.now();
    this.timer = this.clock.setTimeout(idleExpired, this.timeouts.idleMs, this);
    this.stream.wait(this);
  }

  /** @internal the stream has something (StreamWaiter). */
  readable(): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    if (this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
      // A gap the upstream took (not a stall: that one ends the stream, and would teach us to wait for stalls).
      this.timeouts.gaps?.add(this.clock.now() - this.waitedSince);
    }
    w.readable();
  }

  /** @internal nothing came for idleMs: the stream is stalled (its poll() now throws that). */
  stalled(): void {
    this.timer = undefined;
    this.stream.cancel(stalledError(this.label, this.timeouts.idleMs));
    this.readable();
  }
}

function idleExpired(o: Opened): void {
  o.stalled();
}
