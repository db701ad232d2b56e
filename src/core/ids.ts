/** Identifiers in the shapes clients expect (chatcmpl-…, msg_…, toolu_…, req_…). */
import { randomFillSync } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// Random bytes are drawn in blocks: one syscall per 4 KiB instead of one per id (hot path).
const pool = Buffer.alloc(4096);
let offset = pool.length;

export function randomId(prefix: string, length = 24): string {
  if (offset + length > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  let out = prefix;
  for (let i = 0; i < length; i++) out += ALPHABET[pool[offset + i]! % ALPHABET.length];
  offset += length;
  return out;
}
