/**
 * Virtual keys: `sk-sy-` + 43 base62 characters carrying 32 random bytes (256 bits) from
 * node:crypto. Only SHA-256(key) is stored. A slow password hash (bcrypt, scrypt) exists to make
 * guessing low-entropy human passwords expensive; a 256-bit random key cannot be guessed at any
 * hash speed, and a fast hash keeps authentication O(1) and cheap on every request.
 */
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const KEY_PREFIX = 'sk-sy-';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 62^43 > 2^256: every 32-byte value fits, so the encoding loses no entropy. */
const BODY_LENGTH = 43;
/** Longer than any key we issue, with room; anything longer is not hashed at all. */
const MAX_PRESENTED_LENGTH = 256;
/** Characters of the key shown in listings: 4 base62 characters (~24 of the 256 bits). */
const SHOWN = 4;

export interface NewKey {
  /** The key itself: shown once, never stored. */
  secret: string;
  hash: string;
  /** Non-secret start for listings and messages, e.g. `sk-sy-AbCd`. */
  prefix: string;
}

/** Base62 without modulo bias: the bytes as one big number, written in base 62. */
function base62(bytes: Buffer): string {
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  for (let i = 0; i < BODY_LENGTH; i++) {
    out = ALPHABET[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out;
}

export function generateKey(random: (size: number) => Buffer = randomBytes): NewKey {
  const secret = KEY_PREFIX + base62(random(32));
  return { secret, hash: hashKey(secret), prefix: keyPrefix(secret) };
}

/** Once per authenticated request: the one-shot crypto.hash (Node 20.12) takes half the time of createHash().update().digest(). */
export function hashKey(secret: string): string {
  return hash('sha256', secret, 'hex');
}

export function keyPrefix(secret: string): string {
  return secret.slice(0, KEY_PREFIX.length + SHOWN);
}

/**
 * Constant-time comparison of two hex digests. The lookup by hash already found the record; this
 * second check means a bug in a store's lookup (a prefix match, a collation) cannot let a
 * different key through, and the comparison itself reveals nothing through its timing.
 */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === 32 && y.length === 32 && timingSafeEqual(x, y);
}

/**
 * The key a client presented: `x-api-key` (Anthropic SDKs) or `Authorization: Bearer` (OpenAI
 * SDKs). When both are sent, the one that looks like a virtual key wins. Undefined when none.
 */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const x = headers['x-api-key'];
  const fromX = typeof x === 'string' ? x.trim() : undefined;
  const auth = headers.authorization;
  const fromBearer = typeof auth === 'string' && /^bearer\s/i.test(auth) ? auth.slice(7).trim() : undefined;
  if (fromX && fromX.startsWith(KEY_PREFIX)) return fromX;
  if (fromBearer && fromBearer.startsWith(KEY_PREFIX)) return fromBearer;
  return fromX || fromBearer || undefined;
}

/** Whether `s` could be a key we issued (cheap checks before hashing anything). */
export function looksLikeKey(s: string): boolean {
  return s.length > KEY_PREFIX.length && s.length <= MAX_PRESENTED_LENGTH && s.startsWith(KEY_PREFIX);
}
