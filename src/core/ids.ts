/** Identifiers in the shapes clients expect (chatcmpl-…, msg_…, toolu_…, req_…). */
import { randomFillSync } from 'node:crypto';

const ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'latin1');

// Random bytes are drawn in blocks: one syscall per 4 KiB instead of one per id (hot path).
const pool = Buffer.alloc(4096);
let offset = pool.length;
// Letters are written here and read out as one flat string: building an id with `+=` per
// character made a chain of 20+ string pieces that lived as long as the request.
const scratch = Buffer.alloc(256);

export function randomId(prefix: string, length = 24): string {
  if (length > scratch.length) throw new RangeError(`randomId: length ${length} is over ${scratch.length}`);
  if (offset + length > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  for (let i = 0; i < length; i++) scratch[i] = ALPHABET[pool[offset + i]! % ALPHABET.length]!;
  offset += length;
  return prefix + scratch.toString('latin1', 0, length);
}
