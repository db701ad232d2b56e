/**
 * The client side of a streamed answer: bytes to the socket with backpressure. What the bytes
 * are — the upstream's own, or translated, across a mid-stream switch — is the AnswerStream's
 * business (routing/answer-stream.ts); here, a full socket pauses it until 'drain', and a client
 * that goes away cancels it. One 'drain' and one 'close' listener per response, for its life.
 *
 * A client that stops reading is not waited for forever (issue #24: 40 clients that never read
 * held 324 MB past their deadline): a response blocked longer than `server.write_timeout_ms`, or
 * past the request's deadline, is destroyed, which cancels the answer like a client that left.
 */
import type { ServerResponse } from 'node:http';
import type { AnswerSink, AnswerStream } from '../routing/answer-stream.js';
import type { Clock, TimerHandle } from '../core/clock.js';
import { requestAborted } from '../core/errors.js';

const PUMP = Symbol('switchyard.streamPump');
/** Past the deadline, a blocked write still gets this long: a socket buffer that fills for a moment is not a client gone silent. */
const GRACE_PAST_DEADLINE_MS = 1_000;

type WithPump = ServerResponse & { [PUMP]?: StreamPump };

export class StreamPump implements AnswerSink {
  private answer: AnswerStream | undefined = undefined;
  private waiting = false;
  /** Armed while a write waits for 'drain'. */
  private timer: TimerHandle | undefined = undefined;
  /** When the timer fires: the deadline's turn came before the write timeout's. */
  private atDeadline = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly clock: Clock,
    /** server.write_timeout_ms */
    private readonly writeTimeoutMs: number,
    /** The request's deadline. */
    private readonly deadline: { remaining(): number },
    /** Told why the response was cut: the access line's `reason`. */
    private readonly scope: { reason?: string },
  ) {
    (res as WithPump)[PUMP] = this;
    res.on('drain', onDrain);
    res.on('close', onClose);
  }

  /** Pump `answer` to the client. */
  run(answer: AnswerStream): void {
    this.answer = answer;
    answer.start();
  }

  write(bytes: Buffer | string): boolean {
    const res = this.res;
    // The client left: the answer hears it from onClose; these bytes have nowhere to go.
    if (res.destroyed) return true;
    // Writes made in one turn of the event loop (headers, frames, the end) go out as one socket write.
    if (res.writableCorked === 0) {
      res.cork();
      setImmediate(uncork, res);
    }
    if (res.write(bytes)) return true;
    this.waiting = true;
    if (this.timer === undefined) this.arm();
    return false;
  }

  end(bytes: Buffer | string): void {
    const res = this.res;
    if (res.destroyed) return;
    res.end(bytes);
    // The last bytes wait on the client too: one that never takes them is cut like any other.
    if (!res.writableFinished && res.writableLength > 0 && this.timer === undefined) this.arm();
  }

  private arm(): void {
    const ms = Math.min(this.writeTimeoutMs, Math.max(this.deadline.remaining(), GRACE_PAST_DEADLINE_MS));
    this.atDeadline = ms < this.writeTimeoutMs;
    this.timer = this.clock.setTimeout(blockedTooLong, ms, this);
  }

  private disarm(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** @internal the client took nothing for too long: everything the response holds goes with it. */
  blocked(): void {
    this.timer = undefined;
    if (this.res.destroyed || this.res.writableFinished) return;
    this.scope.reason = this.atDeadline ? 'deadline' : 'write_timeout';
    this.res.destroy();
  }

  /** @internal */
  drained(): void {
    this.disarm();
    if (!this.waiting) return;
    this.waiting = false;
    this.answer?.resume();
  }

  /** @internal the response closed: finished, or the client went away (or was cut) mid-answer. */
  closed(): void {
    this.disarm();
    (this.res as WithPump)[PUMP] = undefined;
    const answer = this.answer;
    this.answer = undefined;
    if (!this.res.writableFinished) answer?.cancel(requestAborted());
  }
}

function blockedTooLong(pump: StreamPump): void {
  pump.blocked();
}

function uncork(res: ServerResponse): void {
  if (res.writableCorked > 0) res.uncork();
}

function onDrain(this: ServerResponse): void {
  (this as WithPump)[PUMP]?.drained();
}

function onClose(this: ServerResponse): void {
  (this as WithPump)[PUMP]?.closed();
}
