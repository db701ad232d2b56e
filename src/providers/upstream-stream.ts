/**
 * An upstream SSE body as an async iterable of {raw bytes, canonical events},
 * one item per network read (all the frames it completed), so a same-format
 * proxy writes once per read. Bytes are pushed by the exchange, parsed once
 * (src/sse) and decoded once (the format's StreamDecoder); a small queue with
 * pause/resume between the socket and the consumer keeps memory bounded when
 * the client reads slower than the upstream writes.
 */
import { GatewayError } from '../core/errors.js';
import type { StreamEvent } from '../core/stream-event.js';
import type { FormatName, StreamDecoder } from '../formats/types.js';
import { SseParser } from '../sse/parser.js';
import type { SseFrame } from '../sse/frame.js';
import { skimParsedFrame } from '../formats/skim.js';
import { cutError } from './http-client.js';
import { KeptBytes } from './kept-bytes.js';
import type { Exchange } from './http-exchange.js';
import type { StreamChunk, UpstreamStream } from './types.js';

const EMPTY = Buffer.alloc(0);
/**
 * The most one event may be before it ends: far beyond any real one (a streamed image is a few MiB),
 * so only a broken upstream reaches it, and a stream that never ends its event cannot fill memory.
 */
const MAX_EVENT_BYTES = 16 * 1048576;
const HIGH_WATER = 64;
const LOW_WATER = 16;

function isToken(e: StreamEvent): boolean {
  return e.type === 'text' || e.type === 'tool-call-start' || e.type === 'finish';
}

type Waiter = { resolve(r: IteratorResult<StreamChunk>): void; reject(e: unknown): void };

export class PushStream implements UpstreamStream, AsyncIterator<StreamChunk> {
  private readonly parser = new SseParser();
  private readonly queue: StreamChunk[] = [];
  private waiter: Waiter | undefined;
  private finished = false;
  private failure: unknown;
  private paused = false;
  /** Skim mode (pass-through): frames are checked, not decoded, until someone needs their events. */
  private skimming = false;
  /** Bytes of skimmed frames, not decoded yet (copies: see KeptBytes). */
  private readonly skipped = new KeptBytes();
  /** Events decoded while catching up, not handed out yet. */
  private late: StreamEvent[] = [];
  private sawEnd = false;
  /** The body's first byte (-1 before any): a body that is not an event stream says so at once. */
  private firstByte = -1;

  constructor(
    private readonly provider: string,
    readonly format: FormatName,
    private readonly decoder: StreamDecoder,
    private readonly ex: Exchange,
    /** The bytes will be forwarded as they are (same format as the client): skimmed, not decoded, from the first token on (and before it where the format can judge tokens on bytes). */
    private readonly skimAfterToken = false,
  ) {
    // The stream is the exchange's consumer itself (no closures to keep alive beside it).
    ex.consume(this);
  }

  [Symbol.asyncIterator](): AsyncIterator<StreamChunk> {
    return this;
  }

  next(): Promise<IteratorResult<StreamChunk>> {
    try {
      const ready = this.poll();
      if (ready) return Promise.resolve(ready);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  poll(): IteratorResult<StreamChunk> | undefined {
    const c = this.queue.shift();
    if (c) {
      if (this.paused && this.queue.length <= LOW_WATER) {
        this.paused = false;
        this.ex.resume();
      }
      return { value: c, done: false };
    }
    if (this.failure !== undefined) throw this.failure;
    if (this.finished) return { value: undefined, done: true };
    return undefined;
  }

  /** The consumer stopped early (break / throw in for-await). */
  return(): Promise<IteratorResult<StreamChunk>> {
    if (!this.finished && this.failure === undefined) this.cancel();
    return Promise.resolve({ value: undefined, done: true });
  }

  cancel(reason?: unknown): void {
    if (this.finished || this.failure !== undefined) return;
    const err =
      reason instanceof Error
        ? reason
        : new GatewayError({ code: 'request_aborted', message: `The request to ${this.provider} was cancelled.`, status: 499, kind: 'cut', retryable: false });
    this.fail(err);
    this.ex.abort(err);
  }

  skimRest(): void {
    if (this.decoder.skim) this.skimming = true;
  }

  decodeSkipped(): StreamEvent[] {
    try {
      this.catchUp();
    } catch {
      // The stream already failed on this frame; what decoded before it is what we have.
    }
    return this.takeLate();
  }

  dispose(): void {
    if (this.finished) this.skipped.release();
  }

  /** Decode the skimmed bytes not decoded yet (they were complete frames, so a fresh parser reads them alike). */
  private catchUp(): void {
    if (this.skipped.length === 0) return;
    const parser = new SseParser();
    const frames = parser.push(this.skipped.take());
    for (const f of [...frames, ...parser.flush()]) {
      for (const e of this.decoder.push(f)) this.late.push(e);
    }
  }

  /** Skim parsed frames; a suspect one (error event, not a JSON object) is decoded for real, with all before it. */
  private skimFrames(frames: SseFrame[]): void {
    const skim = this.decoder.skim!;
    for (const frame of frames) {
      const kind = skimParsedFrame(skim, frame.raw);
      if (kind === 'end') this.sawEnd = true;
      if (kind !== 'suspect') {
        this.skipped.add(frame.raw);
        continue;
      }
      this.catchUp();
      for (const e of this.decoder.push(frame)) this.late.push(e);
    }
  }

  /**
   * Skim mode: frames are checked on their bytes; from a suspect one on, parsed
   * and skimmed frame by frame. Returns the bytes of the complete frames.
   */
  private skimBytes(chunk: Buffer): Buffer {
    const batch = this.parser.skimBatch(chunk, this.decoder.skim!);
    if (!batch) {
      const parsed = this.parser.pushBatch(chunk);
      this.skimFrames(parsed.frames);
      return parsed.raw;
    }
    if (batch.sawEnd) this.sawEnd = true;
    this.skipped.add(batch.raw);
    if (!batch.rest) return batch.raw;
    const parsed = this.parser.pushBatch(batch.rest);
    this.skimFrames(parsed.frames);
    return joined(batch.raw, parsed.raw);
  }

  /** @internal the exchange's consumer: a lost connection after the headers is a cut answer. */
  error(e: Error): void {
    this.fail(cutError(this.provider, e, 'stream'));
  }

  /** @internal the exchange's consumer. */
  data(chunk: Buffer): void {
    if (this.finished || this.failure !== undefined) return;
    if (this.firstByte === -1 && chunk.length > 0) this.firstByte = chunk[0]!;
    try {
      if (this.parser.pending + chunk.length > MAX_EVENT_BYTES) throw eventTooLarge(this.provider);
      if (this.skimming) {
        const raw = this.skimBytes(chunk);
        if (raw.length > 0) this.deliver({ raw, events: [] });
        return;
      }
      const head = this.skimHeadBytes(chunk);
      if (head) {
        if (head.raw.length > 0 || head.events.length > 0) this.deliver(head);
        return;
      }
      const out = this.decodeHead(chunk);
      if (out.raw.length > 0 || out.events.length > 0) this.deliver(out);
    } catch (e) {
      // A malformed frame or an in-stream error event: the stream is over.
      this.fail(e);
      this.ex.abort(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /**
   * Decode until the first token (the attempt's success is decided there); with
   * skimming allowed, the rest of this read is skimmed, not parsed.
   */
  private decodeHead(chunk: Buffer): StreamChunk {
    let events: StreamEvent[] = [];
    const batch = this.parser.pushBatch(chunk, (frame) => {
      const ev = this.decoder.push(frame);
      if (ev.length === 0) return false;
      events = events.length === 0 ? ev : events.concat(ev);
      if (this.skimAfterToken && this.decoder.skim && ev.some(isToken)) this.skimming = true;
      return this.skimming;
    });
    const raw = batch.rest ? joined(batch.raw, this.skimBytes(batch.rest)) : batch.raw;
    return { raw, events };
  }

  /**
   * Pass-through head: frames before the first token are judged on their bytes
   * too (the format's skimHead), so a same-format stream is never parsed on the
   * happy path. A frame the bytes can't judge is decoded for real, with every
   * frame skimmed before it. Undefined when this stream or read doesn't allow it
   * (then the head is decoded).
   */
  private skimHeadBytes(chunk: Buffer): StreamChunk | undefined {
    const skimHead = this.skimAfterToken ? this.decoder.skimHead : undefined;
    if (!skimHead || !this.decoder.skim) return undefined;
    const batch = this.parser.skimBatch(chunk, skimHead, this.decoder.skim);
    if (!batch) return undefined;
    if (batch.sawEnd) this.sawEnd = true;
    this.skipped.add(batch.raw);
    if (batch.sawToken) {
      this.skimming = true;
      return { raw: batch.rest ? joined(batch.raw, this.skimBytes(batch.rest)) : batch.raw, events: [], token: true };
    }
    if (!batch.rest) return { raw: batch.raw, events: [] };
    this.catchUp();
    const before = this.takeLate();
    const rest = this.decodeHead(batch.rest);
    return { raw: joined(batch.raw, rest.raw), events: before.length === 0 ? rest.events : before.concat(rest.events) };
  }

  private takeLate(): StreamEvent[] {
    const out = this.late;
    if (out.length > 0) this.late = [];
    return out;
  }

  /** @internal the exchange's consumer. */
  end(): void {
    if (this.finished || this.failure !== undefined) return;
    try {
      if (this.skimming) {
        const rest = this.parser.flush();
        this.skimFrames(rest);
        for (const frame of rest) this.deliver({ raw: frame.raw, events: [] });
        if (this.sawEnd) {
          this.finished = true;
          this.wake();
          return;
        }
        // No proper end among the skimmed frames: decode them all and let the format judge (cut, or complete).
        this.catchUp();
      } else {
        // Frames skimmed before a token was seen are decoded first: the decoder judges the stream whole.
        this.catchUp();
        const before = this.takeLate();
        if (before.length > 0) this.deliver({ raw: EMPTY, events: before });
        for (const frame of this.parser.flush()) this.deliver({ raw: frame.raw, events: this.decoder.push(frame) });
      }
      const tail = this.decoder.end();
      if (tail.length > 0) this.deliver({ raw: EMPTY, events: tail });
    } catch (e) {
      this.fail(notAnEventStream(this.provider, this.firstByte) ?? e);
      return;
    }
    this.finished = true;
    this.wake();
  }

  private deliver(c: StreamChunk): void {
    const w = this.waiter;
    if (w) {
      this.waiter = undefined;
      w.resolve({ value: c, done: false });
      return;
    }
    this.queue.push(c);
    if (!this.paused && this.queue.length >= HIGH_WATER) {
      this.paused = true;
      this.ex.pause();
    }
  }

  private fail(e: unknown): void {
    if (this.failure !== undefined || this.finished) return;
    this.failure = e;
    this.queue.length = 0;
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    if (this.failure !== undefined) w.reject(this.failure);
    else w.resolve({ value: undefined, done: true });
  }

}

function eventTooLarge(provider: string): GatewayError {
  return new GatewayError({
    code: 'upstream_event_too_large',
    message: `${provider} sent a stream event of more than ${MAX_EVENT_BYTES / 1048576} MiB without ending it; the stream was dropped.`,
    status: 502,
    kind: 'cut',
    provider,
  });
}

/**
 * A 2xx answer to a streamed request whose body is a JSON document or an HTML page, not an event
 * stream (an SSE line starts with a field name or a colon, never with `{`, `[` or `<`): a server
 * that does not stream, or a page from something in front of it. Said as such, instead of as a
 * stream that ended early. Undefined for anything else.
 */
function notAnEventStream(provider: string, firstByte: number): GatewayError | undefined {
  const what = firstByte === 0x7b || firstByte === 0x5b ? 'a JSON body' : firstByte === 0x3c ? 'an HTML page' : undefined;
  if (!what) return undefined;
  return new GatewayError({
    code: 'upstream_not_streaming',
    message: `${provider} answered a streamed request with ${what}, not an event stream (text/event-stream). Does this server support stream: true?`,
    status: 502,
    kind: 'cut',
    provider,
  });
}

/** a then b as one buffer: a view when b directly follows a in memory (slices of one read), else a copy. */
function joined(a: Buffer, b: Buffer): Buffer {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  if (a.buffer === b.buffer && a.byteOffset + a.length === b.byteOffset) return Buffer.from(a.buffer, a.byteOffset, a.length + b.length);
  return Buffer.concat([a, b]);
}
