/**
 * A body source whose bytes pass through a ByteTranscoder on their way to the consumer: the
 * stream reader (upstream-stream.ts) sees SSE bytes whatever the upstream's framing, so every
 * SSE-based mechanism (same-format forwarding, skimming, replay on resume) works unchanged.
 */
import type { BodyConsumer, BodySource, ByteTranscoder } from './body-source.js';

export class TranscodedBody implements BodySource, BodyConsumer {
  private consumer: BodyConsumer | undefined;
  private over = false;

  constructor(
    private readonly source: BodySource,
    private readonly transcoder: ByteTranscoder,
  ) {}

  consume(c: BodyConsumer): void {
    this.consumer = c;
    this.source.consume(this);
  }

  pause(): void {
    this.source.pause();
  }

  resume(): void {
    this.source.resume();
  }

  abort(reason: Error): void {
    this.source.abort(reason);
  }

  /** @internal the source's consumer. */
  data(chunk: Buffer): void {
    if (this.over) return;
    const out = this.transcoder.push(chunk);
    if (out.length > 0) this.consumer!.data(out);
    const failure = this.transcoder.failure;
    // What came before the unreadable unit was delivered above; the stream ends with the failure.
    if (failure) this.fail(failure);
  }

  /** @internal the source's consumer. */
  end(): void {
    if (this.over) return;
    const failure = this.transcoder.end();
    if (failure) return this.fail(failure);
    this.over = true;
    this.consumer!.end();
  }

  /** @internal the source's consumer. */
  error(e: Error): void {
    if (this.over) return;
    this.over = true;
    this.consumer!.error(e);
  }

  private fail(e: Error): void {
    this.over = true;
    this.consumer!.error(e);
    this.source.abort(e);
  }
}
