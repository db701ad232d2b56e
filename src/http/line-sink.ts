/**
 * Where log lines go: a buffered, asynchronous writer on a file descriptor
 * (stdout). Lines are appended to a list and written in one fs.write once
 * `chunkBytes` are waiting or `delayMs` after the first unwritten line (so a
 * quiet gateway's lines still show promptly), one write in flight at a time.
 * A reader that cannot keep up (a full pipe) makes lines wait, up to
 * `maxBufferedBytes`; past that, lines are dropped and counted rather than
 * growing memory. While they wait, lines are packed into byte chunks as each
 * chunk fills: seconds-old strings would be promoted to V8's old generation
 * and grow it far past their own size (measured: a stalled stdout at 256
 * streams took the gateway to 178 MB peak RSS, 133 MB with lines packed; 128 MB
 * when stdout is read). Pending lines are written
 * synchronously on exit.
 *
 * Why not pino's own destination (sonic-boom): it keeps waiting lines as strings joined into
 * 16 KiB strings, which a stalled reader lets age into the old generation. Measured with
 * scripts/bench/stalled-log.mjs (256 streams for 20 s, stdout never read), four paired runs on
 * 2026-12-08: this writer peaked at 127, 131, 130 and 131 MB; sonic-boom (minLength 16 KiB,
 * maxLength 8 MiB, periodicFlush 200 ms) at 131, 133, 135 and 135 MB. Its buffer mode takes
 * Buffers only, and pino writes strings.
 */
import { write as fsWrite, writeSync } from 'node:fs';

export interface LineSinkOptions {
  chunkBytes?: number;
  delayMs?: number;
  maxBufferedBytes?: number;
  /** Write what waits when the process exits (until close()). */
  flushOnExit?: boolean;
}

export class LineSink {
  private parts: string[] = [];
  private size = 0;
  /** Lines packed into bytes while a refused write waits (in order, after `head`, before `parts`). */
  private packed: { bytes: Buffer; lines: number }[] = [];
  private packedBytes = 0;
  private packedLines = 0;
  /** Bytes of a partial write still to go, ahead of `parts`. */
  private head: Buffer | undefined;
  private writing = false;
  private timer: NodeJS.Timeout | undefined;
  private failed = false;
  /** Lines dropped because the output could not keep up (or is gone). */
  dropped = 0;
  private readonly chunkBytes: number;
  private readonly delayMs: number;
  private readonly maxBufferedBytes: number;

  constructor(
    private readonly fd: number,
    opts: LineSinkOptions = {},
  ) {
    this.chunkBytes = opts.chunkBytes ?? 16 * 1024;
    this.delayMs = opts.delayMs ?? 200;
    this.maxBufferedBytes = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
    if (opts.flushOnExit) process.once('exit', this.onExit);
  }

  private readonly onExit = (): void => this.flushSync();

  /** The owner is done with it: write what waits, and stop listening for the process's exit. */
  close(): void {
    process.off('exit', this.onExit);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.flushSync();
  }

  write(line: string): boolean {
    if (this.failed || this.size + this.packedBytes >= this.maxBufferedBytes) {
      this.dropped++;
      return false;
    }
    this.parts.push(line);
    this.size += line.length;
    if (this.size >= this.chunkBytes) {
      // A write in flight, or a refused one waiting to retry (a full pipe): pack; that write carries on.
      if (this.head || this.writing) this.pack();
      else this.flush();
    } else this.timer ??= setTimeout(() => this.onTimer(), this.delayMs).unref();
    return true;
  }

  /** Bytes waiting, packed off the JS heap (diagnostics and tests). */
  get waitingPackedBytes(): number {
    return this.packedBytes;
  }

  private pack(): void {
    const bytes = Buffer.from(this.parts.join(''));
    this.packed.push({ bytes, lines: this.parts.length });
    this.packedBytes += bytes.length;
    this.packedLines += this.parts.length;
    this.parts = [];
    this.size = 0;
  }

  /** Start writing what is buffered, unless a write is already in flight (it continues when that one ends). */
  flush(): void {
    if (this.writing) return;
    const data = this.take();
    if (!data) return;
    this.writing = true;
    fsWrite(this.fd, data, 0, data.length, null, (err, written) => {
      this.writing = false;
      if (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
          // A non-blocking pipe is full: try again shortly, keeping the bytes first in line.
          this.head = data;
          this.timer ??= setTimeout(() => this.onTimer(), 10).unref();
          return;
        }
        // The output is gone (EPIPE, EBADF): nowhere to log to; count what is lost from now on.
        this.failed = true;
        this.dropped += this.parts.length + this.packedLines;
        this.parts = [];
        this.size = 0;
        this.packed = [];
        this.packedBytes = 0;
        this.packedLines = 0;
        return;
      }
      if (written < data.length) this.head = data.subarray(written);
      if (this.head || this.packedBytes > 0 || this.size >= this.chunkBytes) this.flush();
      else if (this.size > 0) this.timer ??= setTimeout(() => this.onTimer(), this.delayMs).unref();
    });
  }

  /** Write everything pending now, blocking (process exit). */
  flushSync(): void {
    if (this.failed || this.writing) return;
    // The rest of a partial write first, then the lines behind it.
    for (let data = this.take(); data; data = this.take()) {
      for (let tries = 0; data.length > 0 && tries < 1000; tries++) {
        try {
          data = data.subarray(writeSync(this.fd, data));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return;
        }
      }
      if (data.length > 0) return;
    }
  }

  private onTimer(): void {
    this.timer = undefined;
    this.flush();
  }

  /**
   * What to write next: the rest of a partial write on its own (a view, never copied again: a
   * slow reader would otherwise have the same bytes copied on every retry), else the buffered
   * lines packed while a write waited, one chunk at a time, else the lines as one buffer (emptied).
   */
  private take(): Buffer | undefined {
    const head = this.head;
    if (head) {
      this.head = undefined;
      return head;
    }
    const chunk = this.packed.shift();
    if (chunk) {
      this.packedBytes -= chunk.bytes.length;
      this.packedLines -= chunk.lines;
      return chunk.bytes;
    }
    if (this.size === 0) return undefined;
    const lines = Buffer.from(this.parts.join(''));
    this.parts = [];
    this.size = 0;
    return lines;
  }
}
