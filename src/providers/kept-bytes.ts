/**
 * Bytes kept for later, copied into memory of their own. A view into a socket
 * read would pin that read's buffer: Node allocates 64 KiB per read and shrinks
 * it to what arrived, so a few KiB held for a whole stream fragment the heap
 * around them (measured: +25 MB of RSS with 256 streams in flight).
 */
export class KeptBytes {
  private buf: Buffer | undefined;
  private size = 0;

  get length(): number {
    return this.size;
  }

  add(bytes: Buffer): void {
    if (bytes.length === 0) return;
    const need = this.size + bytes.length;
    if (!this.buf || need > this.buf.length) {
      // Exactly sized at first (most streams are kept once), then doubling.
      const next = Buffer.allocUnsafeSlow(this.buf ? Math.max(need, this.buf.length * 2) : need);
      if (this.buf) this.buf.copy(next, 0, 0, this.size);
      this.buf = next;
    }
    bytes.copy(this.buf, this.size);
    this.size = need;
  }

  /** Everything kept so far, in order; the store is empty afterwards. */
  take(): Buffer {
    const out = this.buf ? this.buf.subarray(0, this.size) : Buffer.alloc(0);
    this.buf = undefined;
    this.size = 0;
    return out;
  }
}
