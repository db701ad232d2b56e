/**
 * SSE bytes -> frames, as a streaming parser: the only place SSE is parsed
 * (DESIGN.md principle 3). Follows the WHATWG event-stream rules that matter
 * for AI APIs: LF, CRLF or CR line ends; `:` comment lines; `data:` lines
 * joined with "\n"; one optional space after the colon stripped; a frame ends
 * at a blank line. Each frame keeps its raw bytes so a same-format proxy can
 * forward them untouched; push() also returns the contiguous bytes of all the
 * frames it completed, so a proxy writes once per network read, not per frame.
 */
import { bytesAt, DATA_FIELD as DATA, EVENT_FIELD as EVENT } from './bytes.js';
import type { SseFrame } from './frame.js';

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

export interface SseBatch {
  frames: SseFrame[];
  /** The bytes of every completed frame, in order (empty when none completed). */
  raw: Buffer;
  /** Bytes after the frame `until` accepted, not parsed (pushBatch with `until` only). */
  rest?: Buffer;
  /**
   * What `until` threw on a frame: parsing stopped there. `frames` and `raw` are the frames
   * before it (delivered, not lost: issue #22); the failing frame and what follows are dropped.
   */
  failure?: unknown;
}

/**
 * How a skimmed frame looks on its bytes: the format's proper end, plausible
 * data, plausible data that certainly carries a token of the answer (only a
 * format's head classifier says so), or decode it for real.
 */
export type SkimKind = 'end' | 'data' | 'token' | 'suspect';

/**
 * A format's look at one complete frame's bytes: buf[start, end) ends with its
 * blank line ("\n\n"), `firstLf` is the index of its first LF and `lines` the
 * number of lines before the blank one. LF-only frames only.
 */
export type SkimFrame = (buf: Buffer, start: number, firstLf: number, lines: number, end: number) => SkimKind;

export interface SkimBatch {
  /** The bytes of the complete frames that were skimmed (all of them unless `rest` is set). */
  raw: Buffer;
  /** A frame classified 'end' was among them. */
  sawEnd: boolean;
  /** A frame classified 'token' was among them. */
  sawToken: boolean;
  /** From the first suspect frame on: bytes to parse for real (with push/pushBatch on this parser). */
  rest?: Buffer;
}

export class SseParser {
  private buf: Buffer = EMPTY;
  /**
   * Reads held after `buf` that hold no line end, so they cannot end a frame: a long event (a
   * streamed image, one line of megabytes) is joined once when its end arrives, not copied again
   * on every read (which made a large event cost the square of its size).
   */
  private held: Buffer[] = [];
  private heldBytes = 0;

  /** Feed bytes; returns every frame completed by them. */
  push(chunk: Buffer | Uint8Array): SseFrame[] {
    return this.pushBatch(chunk).frames;
  }

  /**
   * Feed bytes; returns the frames they completed and those frames' bytes as one
   * slice. With `until`, parsing stops after the first frame it accepts: the
   * bytes after that frame come back unparsed as `rest` (e.g. for skimBatch); a
   * throw from `until` stops it before that frame (`failure`).
   */
  pushBatch(chunk: Buffer | Uint8Array, until?: (frame: SseFrame) => boolean): SseBatch {
    const input = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.hold(input)) return { frames: [], raw: EMPTY };
    const buf = this.joined(input);
    const frames: SseFrame[] = [];
    // Most AI APIs send LF-only streams: then "\n\n" ends a frame and indexOf finds it natively.
    const lfOnly = buf.indexOf(CR) === -1;
    let start = 0;
    for (;;) {
      const end = lfOnly ? lfFrameEnd(buf, start) : findFrameEnd(buf, start);
      if (end === -1) break;
      const frame = parseFrame(buf.subarray(start, end));
      const frameStart = start;
      start = end;
      if (!frame) continue;
      let stop = false;
      if (until) {
        try {
          stop = until(frame);
        } catch (failure) {
          this.buf = EMPTY;
          return { frames, raw: buf.subarray(0, frameStart), failure };
        }
      }
      frames.push(frame);
      if (stop && start < buf.length) {
        this.buf = EMPTY;
        return { frames, raw: buf.subarray(0, start), rest: buf.subarray(start) };
      }
    }
    const raw = start === 0 ? EMPTY : buf.subarray(0, start);
    // Copy the tail so we don't pin a large upstream buffer.
    this.buf = start === buf.length ? EMPTY : start === 0 ? buf : Buffer.from(buf.subarray(start));
    return { frames, raw };
  }

  /**
   * Skim mode: complete frames are classified on their bytes by `skim` (by
   * `afterToken` once one was classified 'token'), never parsed. Stops at the
   * first 'suspect' frame and hands back the bytes from it on (`rest`).
   * Undefined when the bytes hold a CR (not the LF-only shape): then nothing
   * was consumed and the caller parses with pushBatch.
   */
  skimBatch(chunk: Buffer, skim: SkimFrame, afterToken: SkimFrame = skim): SkimBatch | undefined {
    if (chunk.indexOf(CR) !== -1 || this.buf.indexOf(CR) !== -1) return undefined;
    if (this.hold(chunk)) return { raw: EMPTY, sawEnd: false, sawToken: false };
    const buf = this.joined(chunk);
    let frameStart = 0;
    let firstLf = -1;
    let lines = 0;
    let sawEnd = false;
    let sawToken = false;
    let rest: Buffer | undefined;
    for (let i = buf.indexOf(LF); i !== -1; i = buf.indexOf(LF, i + 1)) {
      if (i === frameStart) {
        // A blank line with no frame before it: nothing to dispatch.
        frameStart = i + 1;
        continue;
      }
      if (firstLf === -1) firstLf = i;
      lines++;
      if (buf[i + 1] !== LF) continue;
      const end = i + 2;
      const kind = (sawToken ? afterToken : skim)(buf, frameStart, firstLf, lines, end);
      if (kind === 'suspect') {
        rest = buf.subarray(frameStart);
        break;
      }
      if (kind === 'end') sawEnd = true;
      else if (kind === 'token') sawToken = true;
      frameStart = end;
      firstLf = -1;
      lines = 0;
      i = end - 1;
    }
    const raw = frameStart === 0 ? EMPTY : buf.subarray(0, frameStart);
    if (rest) this.buf = EMPTY;
    else this.buf = frameStart === buf.length ? EMPTY : frameStart === 0 ? buf : Buffer.from(buf.subarray(frameStart));
    return rest ? { raw, sawEnd, sawToken, rest } : { raw, sawEnd, sawToken };
  }

  /** Bytes received after the last complete frame (a truncated frame, if the stream ends here). */
  get pending(): number {
    return this.buf.length + this.heldBytes;
  }

  /**
   * Hold a read that cannot end the frame in progress: one with no line end (CR or LF) at all,
   * after bytes already waiting (a frame's end needs a line end from the new bytes: `buf` has none
   * left unconsumed). Copied, so no socket read is pinned.
   */
  private hold(input: Buffer): boolean {
    const n = this.buf.length;
    // After a trailing CR the frame may already have ended (CR CR): parse, don't hold.
    if (n === 0 || this.buf[n - 1] === CR || input.indexOf(LF) !== -1 || input.indexOf(CR) !== -1) return false;
    this.held.push(Buffer.from(input));
    this.heldBytes += input.length;
    return true;
  }

  /** The waiting bytes, the held reads and `input`, as one buffer. */
  private joined(input: Buffer): Buffer {
    if (this.heldBytes === 0) return this.buf.length === 0 ? input : input.length === 0 ? this.buf : Buffer.concat([this.buf, input]);
    const all = Buffer.concat([this.buf, ...this.held, input]);
    this.held = [];
    this.heldBytes = 0;
    return all;
  }

  /** At end of input: a final frame without its blank line, if it has data. */
  flush(): SseFrame[] {
    this.buf = this.joined(EMPTY);
    if (this.buf.length === 0) return [];
    const raw = this.buf;
    this.buf = EMPTY;
    const frame = parseFrame(raw);
    return frame ? [frame] : [];
  }
}

/** Past the next "\n\n" (byte search: indexOf with a string argument converts it on every call). */
function lfFrameEnd(buf: Buffer, from: number): number {
  for (let i = buf.indexOf(LF, from); i !== -1; i = buf.indexOf(LF, i + 1)) if (buf[i + 1] === LF) return i + 2;
  return -1;
}

/** Index just past the blank line ending the frame starting at `from`, or -1 (any line endings). */
function findFrameEnd(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length; i++) {
    const c = buf[i];
    if (c !== LF && c !== CR) continue;
    // i is a line end; is the next line empty?
    let j = i + 1;
    if (c === CR && buf[j] === LF) j++;
    if (j >= buf.length) return -1;
    const d = buf[j];
    if (d === LF) return j + 1;
    if (d === CR) {
      if (j + 1 >= buf.length) return -1; // CR at the end: may be CRLF, wait.
      return buf[j + 1] === LF ? j + 2 : j + 1;
    }
    i = j - 1;
  }
  return -1;
}

function parseFrame(raw: Buffer): SseFrame | null {
  const n = raw.length;
  // Fast paths for the two shapes AI APIs send: `data: X\n\n` and `event: E\ndata: X\n\n`.
  if (n >= 2 && raw[n - 1] === LF && raw[n - 2] === LF) {
    if (bytesAt(raw, 0, DATA) && raw.indexOf(LF, 6) === n - 2) return { data: raw.toString('utf8', 6, n - 2), raw };
    if (bytesAt(raw, 0, EVENT)) {
      const nl = raw.indexOf(LF, 7);
      if (nl > 7 && nl < n - 2 && bytesAt(raw, nl + 1, DATA) && raw.indexOf(LF, nl + 7) === n - 2) {
        return { event: raw.toString('utf8', 7, nl), data: raw.toString('utf8', nl + 7, n - 2), raw };
      }
    }
  }
  return parseGeneric(raw);
}

function parseGeneric(raw: Buffer): SseFrame | null {
  const text = raw.toString('utf8');
  let event: string | undefined;
  let data: string | undefined;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '' || line.charCodeAt(0) === 0x3a /* : comment */) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    if (field === 'data') data = data === undefined ? value : `${data}\n${value}`;
    else if (field === 'event') event = value;
  }
  if (data === undefined && event === undefined) return null; // comment-only frame (keep-alive)
  return event === undefined ? { data: data ?? '', raw } : { event, data: data ?? '', raw };
}
