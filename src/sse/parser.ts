/**
 * SSE bytes -> frames, as a streaming parser: the only place SSE is parsed
 * (DESIGN.md principle 3). Follows the WHATWG event-stream rules that matter
 * for AI APIs: LF, CRLF or CR line ends; `:` comment lines; `data:` lines
 * joined with "\n"; one optional space after the colon stripped; a frame ends
 * at a blank line. Each frame keeps its raw bytes so a same-format proxy can
 * forward them untouched; push() also returns the contiguous bytes of all the
 * frames it completed, so a proxy writes once per network read, not per frame.
 */
import type { SseFrame } from './frame.js';

const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

export interface SseBatch {
  frames: SseFrame[];
  /** The bytes of every completed frame, in order (empty when none completed). */
  raw: Buffer;
}

export class SseParser {
  private buf: Buffer = EMPTY;

  /** Feed bytes; returns every frame completed by them. */
  push(chunk: Buffer | Uint8Array): SseFrame[] {
    return this.pushBatch(chunk).frames;
  }

  /** Feed bytes; returns the frames they completed and those frames' bytes as one slice. */
  pushBatch(chunk: Buffer | Uint8Array): SseBatch {
    const input = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = this.buf.length === 0 ? input : Buffer.concat([this.buf, input]);
    const frames: SseFrame[] = [];
    // Most AI APIs send LF-only streams: then "\n\n" ends a frame and indexOf finds it natively.
    const lfOnly = buf.indexOf(CR) === -1;
    let start = 0;
    for (;;) {
      const end = lfOnly ? lfFrameEnd(buf, start) : findFrameEnd(buf, start);
      if (end === -1) break;
      const frame = parseFrame(buf.subarray(start, end));
      if (frame) frames.push(frame);
      start = end;
    }
    const raw = start === 0 ? EMPTY : buf.subarray(0, start);
    // Copy the tail so we don't pin a large upstream buffer.
    this.buf = start === buf.length ? EMPTY : start === 0 ? buf : Buffer.from(buf.subarray(start));
    return { frames, raw };
  }

  /** Bytes received after the last complete frame (a truncated frame, if the stream ends here). */
  get pending(): number {
    return this.buf.length;
  }

  /** At end of input: a final frame without its blank line, if it has data. */
  flush(): SseFrame[] {
    if (this.buf.length === 0) return [];
    const raw = this.buf;
    this.buf = EMPTY;
    const frame = parseFrame(raw);
    return frame ? [frame] : [];
  }
}

function lfFrameEnd(buf: Buffer, from: number): number {
  const i = buf.indexOf('\n\n', from);
  return i === -1 ? -1 : i + 2;
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

// "data: " and "event: " as bytes, for the fast paths.
const DATA = Buffer.from('data: ');
const EVENT = Buffer.from('event: ');

function startsWith(buf: Buffer, at: number, prefix: Buffer): boolean {
  if (buf.length - at < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (buf[at + k] !== prefix[k]) return false;
  return true;
}

function parseFrame(raw: Buffer): SseFrame | null {
  const n = raw.length;
  // Fast paths for the two shapes AI APIs send: `data: X\n\n` and `event: E\ndata: X\n\n`.
  if (n >= 2 && raw[n - 1] === LF && raw[n - 2] === LF) {
    if (startsWith(raw, 0, DATA) && raw.indexOf(LF, 6) === n - 2) return { data: raw.toString('utf8', 6, n - 2), raw };
    if (startsWith(raw, 0, EVENT)) {
      const nl = raw.indexOf(LF, 7);
      if (nl > 7 && nl < n - 2 && startsWith(raw, nl + 1, DATA) && raw.indexOf(LF, nl + 7) === n - 2) {
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
