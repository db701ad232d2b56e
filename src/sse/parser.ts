/**
 * SSE bytes -> frames, as a streaming parser: the only place SSE is parsed
 * (DESIGN.md principle 3). Follows the WHATWG event-stream rules that matter
 * for AI APIs: LF, CRLF or CR line ends; `:` comment lines; `data:` lines
 * joined with "\n"; one optional space after the colon stripped; a frame ends
 * at a blank line. Each frame keeps its raw bytes so a same-format proxy can
 * forward them untouched.
 */
import type { SseFrame } from './frame.js';

export class SseParser {
  private buf: Buffer = Buffer.alloc(0);

  /** Feed bytes; returns every frame completed by them. */
  push(chunk: Buffer | Uint8Array): SseFrame[] {
    const input = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.buf = this.buf.length === 0 ? input : Buffer.concat([this.buf, input]);
    const frames: SseFrame[] = [];
    let start = 0;
    for (;;) {
      const end = findFrameEnd(this.buf, start);
      if (end === -1) break;
      const raw = this.buf.subarray(start, end);
      const frame = parseFrame(raw);
      if (frame) frames.push(frame);
      start = end;
    }
    this.buf = start === 0 ? this.buf : this.buf.subarray(start);
    // Copy the tail so we don't pin a large upstream buffer.
    if (start !== 0 && this.buf.length > 0) this.buf = Buffer.from(this.buf);
    return frames;
  }

  /** Bytes received after the last complete frame (a truncated frame, if the stream ends here). */
  get pending(): number {
    return this.buf.length;
  }

  /** At end of input: a final frame without its blank line, if it has data. */
  flush(): SseFrame[] {
    if (this.buf.length === 0) return [];
    const raw = this.buf;
    this.buf = Buffer.alloc(0);
    const frame = parseFrame(raw);
    return frame ? [frame] : [];
  }
}

/** Index just past the blank line ending the frame starting at `from`, or -1. */
function findFrameEnd(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length; i++) {
    const c = buf[i];
    if (c !== 0x0a && c !== 0x0d) continue;
    // i is a line end; is the next line empty?
    let j = i + 1;
    if (c === 0x0d && buf[j] === 0x0a) j++;
    if (j >= buf.length) return -1;
    const d = buf[j];
    if (d === 0x0a) return j + 1;
    if (d === 0x0d) {
      if (j + 1 >= buf.length) return -1; // CR at the end: may be CRLF, wait.
      return buf[j + 1] === 0x0a ? j + 2 : j + 1;
    }
    i = j - 1;
  }
  return -1;
}

function parseFrame(raw: Buffer): SseFrame | null {
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
