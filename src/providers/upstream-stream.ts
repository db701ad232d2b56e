/**
 * An upstream SSE body as an async iterable of {raw bytes, canonical events},
 * one item per network read (all the frames it completed), so a same-format
 * proxy writes once per read. Bytes are pushed by the exchange, parsed once
 * (src/sse) and decoded once (the format's StreamDecoder); a small queue with
 * pause/resume between the socket and the consumer keeps memory bounded when
 * the client reads slower than the upstream writes.
 */
import { gatewayError, GatewayError, requestAborted } from '../core/errors.js';
import type { StreamEvent } from '../core/stream-event.js';
import type { DecodeContext, FormatName, StreamDecoder } from '../formats/types.js';
import { SseParser } from '../sse/parser.js';
import type { SseFrame } from '../sse/frame.js';
import { skimParsedFrame } from '../formats/skim.js';
import { cutError } from './http-client.js';
import { KeptBytes, type BufferPool } from './kept-bytes.js';
import type { BodySource } from './body-source.js';
import type { StreamChunk, StreamWaiter, UpstreamStream } from './types.js';

const EMPTY = Buffer.alloc(0);
/**
 * The most one event may be before it ends: far beyond any real one (a streamed image is a few MiB),
 * so only a broken upstream reaches it, and a stream that never ends its event cannot fill memory.
 */
const MAX_EVENT_BYTES = 16 * 1048576;
/**
 * Upstream reads pause when this much waits for the consumer, in bytes or in chunks, and resume
 * below the low marks. Bytes are what a client that does not read pins (issue #24: 40 clients that
 * never read, in front of a fast upstream, held 6.8 MB each when only chunks were counted: a chunk
 * is one network read, up to 64 KiB).
 */
export const HIGH_WATER_BYTES = 64 * 1024;
const LOW_WATER_BYTES = 16 * 1024;
const HIGH_WATER = 64;
const LOW_WATER = 16;

function isToken(e: StreamEvent): boolean {
  return e.type === 'text' || e.type === 'tool-call-start' || e.type === 'finish';
}

export class PushStream implements UpstreamStream {
  private readonly parser = new SseParser();
  private readonly decoder: StreamDecoder;
  private readonly queue: StreamChunk[] = [];
  /** The raw bytes of the chunks in the queue. */
  private queuedBytes = 0;
  private waiter: StreamWaiter | undefined;
  private finished = false;
  private failure: unknown;
  private paused = false;
  /** Skim mode (pass-through): frames are checked, not decoded, until someone needs their events. */
  private skimming = false;
  /**
   * Pass-through: a copy of every byte handed out, in order (copies: see KeptBytes). What the client
   * received is a prefix of it, so a continuation is computed from exactly that (replay()).
   */
  private readonly kept: KeptBytes;
  /** Where the kept copy starts among the bytes handed out: what compact() dropped comes before. Offsets below count from the stream's first byte. */
  private keptFrom = 0;
  /** How many bytes this stream's own decoder has read: skimmed frames after that are decoded only when a suspect frame needs their state. */
  private decodedTo = 0;
  /**
   * The decoder that turns kept bytes into what the client received (replay(), compact()), and how
   * far it has read: made once, it goes on from there (decoders keep state across frames).
   */
  private replayer: StreamDecoder | undefined;
  private replayedTo = 0;
  /** A kept frame did not decode: the client could read nothing after it, so nothing more is replayed. */
  private replayStopped = false;
  private sawEnd = false;
  /** The chunk holding the proper end was handed out (marked `end`). */
  private endHandedOut = false;
  /** The body's first byte (-1 before any): a body that is not an event stream says so at once. */
  private firstByte = -1;
  /** The read being processed: the bytes of its complete frames so far, their events, whether they hold the first token. */
  private outRaw: Buffer = EMPTY;
  private outEvents: StreamEvent[] = [];
  private outToken = false;

  private readonly provider: string;

  constructor(
    /** Who the stream is for: the provider (named in errors) and the model asked for. */
    private readonly at: DecodeContext,
    readonly format: FormatName,
    /** Makes this format's decoder: one for the stream, a fresh one for each replay. */
    private readonly decoders: (at: DecodeContext) => StreamDecoder,
    private readonly ex: BodySource,
    buffers: BufferPool,
    /** The bytes will be forwarded as they are (same format as the client): skimmed, not decoded, from the first token on (and before it where the format can judge tokens on bytes). */
    private readonly passthrough = false,
  ) {
    this.provider = at.provider;
    this.kept = new KeptBytes(buffers);
    this.decoder = decoders(at);
    ex.consume(this);
  }

  wait(w: StreamWaiter): void {
    if (this.queue.length > 0 || this.failure !== undefined || this.finished) return w.readable();
    this.waiter = w;
  }

  /** Chunks already here come first; an upstream failure is told only after them (see failed()). */
  poll(): IteratorResult<StreamChunk> | undefined {
    const c = this.queue.shift();
    if (c) {
      this.queuedBytes -= c.raw.length;
      if (this.paused && this.queue.length <= LOW_WATER && this.queuedBytes <= LOW_WATER_BYTES) {
        this.paused = false;
        this.ex.resume();
      }
      return { value: c, done: false };
    }
    if (this.failure !== undefined) throw this.failure;
    if (this.finished) return { value: undefined, done: true };
    return undefined;
  }

  /** The consumer gives up on the stream: what is queued is dropped with it. */
  cancel(reason?: unknown): void {
    if (this.finished || this.failure !== undefined) return;
    const err =
      reason instanceof Error
        ? reason
        : requestAborted(`The request to ${this.provider} was cancelled.`, this.provider);
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.failed(err);
    this.ex.abort(err);
  }

  skimRest(): void {
    if (this.decoder.skim) this.skimming = true;
  }

  replay(bytes: number): StreamEvent[] {
    return this.decodeKept(bytes);
  }

  /**
   * Issue #24: a client that does not read still has several MB accepted by the kernel, and the
   * kept copy mirrored all of it. Compacting turns the first `upTo` bytes (what the consumer wrote:
   * whole frames) into their events once and drops them; the copy keeps only what came after.
   */
  compact(upTo: number): StreamEvent[] {
    // This stream's own decoder reads the bytes before they go: a later suspect frame, or an end
    // without its proper end, is judged with their state. Its events are not needed: in skim mode
    // the consumer forwards chunk.raw and the journal keeps raw bytes; the events decoded below are
    // the transcript's. Out of skim mode it has read them all already.
    this.catchUp();
    const events = this.decodeKept(upTo);
    this.kept.dropBefore(this.replayedTo - this.keptFrom);
    this.keptFrom = this.replayedTo;
    return events;
  }

  /** The events of the bytes [replayedTo, to), by the replay decoder, which goes on from there next time. */
  private decodeKept(to: number): StreamEvent[] {
    const from = this.replayedTo;
    const end = Math.min(to, this.keptTo);
    if (end <= from || this.replayStopped) return [];
    this.replayedTo = end;
    const decoder = (this.replayer ??= this.decoders(this.at));
    // Complete frames from a frame boundary, so a fresh parser reads them alike.
    const parser = new SseParser();
    const out: StreamEvent[] = [];
    try {
      for (const f of [...parser.push(this.kept.view(from - this.keptFrom, end - this.keptFrom)), ...parser.flush()]) for (const e of decoder.push(f)) out.push(e);
    } catch {
      // These bytes were forwarded as the upstream sent them; what decodes before a bad one is what the client could read.
      this.replayStopped = true;
    }
    return out;
  }

  /** Bytes kept now (tests and diagnostics). */
  get keptBytes(): number {
    return this.kept.length;
  }

  /** The end of the bytes kept so far, counted from the stream's first byte. */
  private get keptTo(): number {
    return this.keptFrom + this.kept.length;
  }

  dispose(): void {
    if (this.finished) this.kept.release();
  }

  /**
   * Where a read's complete frames go: into the chunk this read hands out (and, pass-through, into
   * the kept copy). Everything produced is delivered, even when a later frame of the same read
   * fails: the rule of issue #22 is that frames before a failing one reach the consumer (the
   * client) and its transcript alike; frames after it reach neither.
   */
  private produce(raw: Buffer): void {
    if (raw.length === 0) return;
    this.outRaw = joined(this.outRaw, raw);
    if (this.passthrough) this.kept.add(raw);
  }

  private produceEvents(events: StreamEvent[]): void {
    if (events.length > 0) this.outEvents = this.outEvents.length === 0 ? events : this.outEvents.concat(events);
  }

  /** Hand out what this read produced, as one chunk. */
  private flushOut(): void {
    const raw = this.outRaw;
    const events = this.outEvents;
    if (raw.length === 0 && events.length === 0) return;
    const token = this.outToken;
    this.outRaw = EMPTY;
    this.outEvents = [];
    this.outToken = false;
    const c: StreamChunk = token ? { raw, events, token } : { raw, events };
    if (this.sawEnd && !this.endHandedOut && raw.length > 0) {
      this.endHandedOut = true;
      c.end = true;
    }
    this.deliver(c);
  }

  /** Decode the kept bytes this stream's decoder has not read yet (complete frames, so a fresh parser reads them alike). */
  private catchUp(): StreamEvent[] {
    const from = this.decodedTo;
    const to = this.keptTo;
    this.decodedTo = to;
    if (from === to) return [];
    const parser = new SseParser();
    const out: StreamEvent[] = [];
    for (const f of [...parser.push(this.kept.view(from - this.keptFrom, to - this.keptFrom)), ...parser.flush()]) for (const e of this.decoder.push(f)) out.push(e);
    return out;
  }

  /** A suspect frame is decoded for real, after every frame skimmed before it (the decoder's state needs them). */
  private decodeSuspect(frame: SseFrame): StreamEvent[] {
    const before = this.catchUp();
    const events = this.decoder.push(frame);
    this.produce(frame.raw);
    this.decodedTo = this.keptTo;
    return before.length === 0 ? events : before.concat(events);
  }

  /**
   * Skim parsed frames; a suspect one (error event, not a JSON object) is decoded for real. `raw`
   * holds them all (and any comment lines between them), so the bytes produced are exactly the
   * bytes that came, up to a failing frame.
   */
  private skimFrames(frames: SseFrame[], raw: Buffer): void {
    const skim = this.decoder.skim!;
    let from = 0;
    for (const frame of frames) {
      const kind = skimParsedFrame(skim, frame.raw);
      if (kind === 'end') this.sawEnd = true;
      if (kind !== 'suspect') continue;
      const at = frame.raw.byteOffset - raw.byteOffset;
      this.produce(raw.subarray(from, at));
      // In skim mode nobody needs the events: the transcript replays the bytes.
      this.decodeSuspect(frame);
      from = at + frame.raw.length;
    }
    this.produce(raw.subarray(from));
  }

  /** Skim mode: frames are checked on their bytes; from a suspect one on, parsed and skimmed frame by frame. */
  private skimBytes(chunk: Buffer): void {
    const batch = this.parser.skimBatch(chunk, this.decoder.skim!);
    if (!batch) {
      const parsed = this.parser.pushBatch(chunk);
      return this.skimFrames(parsed.frames, parsed.raw);
    }
    if (batch.sawEnd) this.sawEnd = true;
    this.produce(batch.raw);
    if (batch.rest) this.skimRestOf(batch.rest);
  }

  /** The unparsed rest of a read, from a suspect frame on (the parser holds nothing else: skimBatch left it empty). */
  private skimRestOf(rest: Buffer): void {
    const parsed = this.parser.pushBatch(rest);
    this.skimFrames(parsed.frames, parsed.raw);
  }

  /** @internal the exchange's consumer: a lost connection after the headers is a cut answer. */
  error(e: Error): void {
    this.failed(cutError(this.provider, e, 'stream'));
  }

  /** @internal the exchange's consumer. */
  data(chunk: Buffer): void {
    if (this.finished || this.failure !== undefined) return;
    if (this.firstByte === -1 && chunk.length > 0) this.firstByte = chunk[0]!;
    let failure: unknown;
    try {
      if (this.skimming) this.skimBytes(chunk);
      else if (!this.skimHeadBytes(chunk)) this.decodeHead(chunk);
      // Checked after the read's complete frames were taken: they are delivered before the failure.
      if (this.parser.pending > MAX_EVENT_BYTES) throw eventTooLarge(this.provider);
    } catch (e) {
      // A malformed frame, an in-stream error event, an event too large: the stream is over after what came before it.
      failure = e;
    }
    this.flushOut();
    if (failure === undefined) return;
    this.failed(failure);
    this.ex.abort(failure instanceof Error ? failure : new Error(String(failure)));
  }

  /**
   * Decode until the first token (the attempt's success is decided there); with
   * skimming allowed, the rest of this read is skimmed, not parsed.
   */
  private decodeHead(chunk: Buffer): void {
    const batch = this.parser.pushBatch(chunk, (frame) => {
      const ev = this.decoder.push(frame);
      if (ev.length === 0) return false;
      this.produceEvents(ev);
      if (this.passthrough && this.decoder.skim && ev.some(isToken)) this.skimming = true;
      return this.skimming;
    });
    this.produce(batch.raw);
    this.decodedTo = this.keptTo;
    if (batch.failure !== undefined) throw batch.failure;
    if (batch.rest) this.skimBytes(batch.rest);
  }

  /**
   * Pass-through head: frames before the first token are judged on their bytes
   * too (the format's skimHead), so a same-format stream is never parsed on the
   * happy path. A frame the bytes can't judge is decoded for real, with every
   * frame skimmed before it. False when this stream or read doesn't allow it
   * (then the head is decoded).
   */
  private skimHeadBytes(chunk: Buffer): boolean {
    const skimHead = this.passthrough ? this.decoder.skimHead : undefined;
    if (!skimHead || !this.decoder.skim) return false;
    const batch = this.parser.skimBatch(chunk, skimHead, this.decoder.skim);
    if (!batch) return false;
    if (batch.sawEnd) this.sawEnd = true;
    this.produce(batch.raw);
    if (batch.sawToken) {
      this.skimming = true;
      this.outToken = true;
      if (batch.rest) this.skimRestOf(batch.rest);
      return true;
    }
    if (!batch.rest) return true;
    // The token judgment needs the events of what was skimmed before the frame the bytes can't judge.
    this.produceEvents(this.catchUp());
    this.decodeHead(batch.rest);
    return true;
  }

  /** @internal the exchange's consumer. */
  end(): void {
    if (this.finished || this.failure !== undefined) return;
    let failure: unknown;
    try {
      if (this.skimming) {
        for (const frame of this.parser.flush()) this.skimFrames([frame], frame.raw);
        // No proper end among the skimmed frames: decode them all and let the format judge (cut, or complete).
        if (!this.sawEnd) this.catchUp();
      } else {
        // Frames skimmed before a token was seen are decoded first: the decoder judges the stream whole.
        this.produceEvents(this.catchUp());
        for (const frame of this.parser.flush()) {
          const events = this.decoder.push(frame);
          this.produce(frame.raw);
          this.produceEvents(events);
        }
        this.decodedTo = this.keptTo;
      }
      this.flushOut();
      if (!this.sawEnd || !this.skimming) {
        // Events with no bytes: the decoder closing a stream that lacked its proper end (the pump then writes the client's own end).
        const tail = this.decoder.end();
        if (tail.length > 0) this.deliver({ raw: EMPTY, events: tail });
      }
    } catch (e) {
      failure = notAnEventStream(this.provider, this.firstByte) ?? e;
    }
    this.flushOut();
    if (failure !== undefined) return this.failed(failure);
    this.finished = true;
    this.wake();
  }

  private deliver(c: StreamChunk): void {
    this.queue.push(c);
    this.queuedBytes += c.raw.length;
    if (!this.paused && (this.queuedBytes >= HIGH_WATER_BYTES || this.queue.length >= HIGH_WATER)) {
      this.paused = true;
      this.ex.pause();
    }
    this.wake();
  }

  /** The stream failed: the consumer is told after the chunks already queued (they came before the failure). */
  private failed(e: unknown): void {
    if (this.failure !== undefined || this.finished) return;
    this.failure = e;
    this.wake();
  }

  /** Tell the waiting consumer, once, that it can poll. */
  private wake(): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    w.readable();
  }
}

function eventTooLarge(provider: string): GatewayError {
  return gatewayError('upstream_event_too_large', `${provider} sent a stream event of more than ${MAX_EVENT_BYTES / 1048576} MiB without ending it; the stream was dropped.`, { provider });
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
  return gatewayError('upstream_not_streaming', `${provider} answered a streamed request with ${what}, not an event stream (text/event-stream). Does this server support stream: true?`, { provider });
}

/** a then b as one buffer: a view when b directly follows a in memory (slices of one read), else a copy. */
function joined(a: Buffer, b: Buffer): Buffer {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  if (a.buffer === b.buffer && a.byteOffset + a.length === b.byteOffset) return Buffer.from(a.buffer, a.byteOffset, a.length + b.length);
  return Buffer.concat([a, b]);
}
