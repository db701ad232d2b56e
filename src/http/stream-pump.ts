/**
 * The client side of a streamed answer: bytes to the socket with backpressure. What the bytes
 * are — the upstream's own, or translated, across a mid-stream switch — is the AnswerStream's
 * business (routing/answer-stream.ts); here, a full socket pauses it until 'drain', and a client
 * that goes away cancels it. One 'drain' and one 'close' listener per response, for its life.
 */
import type { ServerResponse } from 'node:http';
import type { AnswerSink, AnswerStream } from '../routing/answer-stream.js';
import { requestAborted } from '../core/errors.js';

const PUMP = Symbol('switchyard.streamPump');

type WithPump = ServerResponse & { [PUMP]?: StreamPump };

export class StreamPump implements AnswerSink {
  private answer: AnswerStream | undefined = undefined;
  private waiting = false;

  constructor(private readonly res: ServerResponse) {
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
    return false;
  }

  end(bytes: Buffer | string): void {
    if (!this.res.destroyed) this.res.end(bytes);
  }

  /** @internal */
  drained(): void {
    if (!this.waiting) return;
    this.waiting = false;
    this.answer?.resume();
  }

  /** @internal the response closed: finished, or the client went away mid-answer. */
  closed(): void {
    (this.res as WithPump)[PUMP] = undefined;
    if (!this.res.writableFinished) this.answer?.cancel(requestAborted());
  }
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
