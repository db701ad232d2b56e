/** Byte comparisons on SSE bytes, without decoding them to strings (parser and skimming). */

/** buf[at, at + s.length) equals s. */
export function bytesAt(buf: Buffer, at: number, s: Buffer): boolean {
  if (at + s.length > buf.length) return false;
  for (let k = 0; k < s.length; k++) if (buf[at + k] !== s[k]) return false;
  return true;
}

/** buf[from, to) equals s exactly. */
export function bytesEqual(buf: Buffer, from: number, to: number, s: Buffer): boolean {
  return to - from === s.length && bytesAt(buf, from, s);
}

/** "data: " and "event: " as bytes. */
export const DATA_FIELD = Buffer.from('data: ');
export const EVENT_FIELD = Buffer.from('event: ');
