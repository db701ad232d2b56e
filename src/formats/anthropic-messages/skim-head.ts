/**
 * Anthropic streams before the first token, judged on their bytes (pass-through,
 * see src/formats/skim.ts): a Messages stream opens with message_start, ping and
 * an empty text block before its first text delta, and a same-format stream
 * need not JSON-parse any of them to commit to its target. 'token' where the
 * decoder would see part of the answer (a non-empty text block start or text
 * delta, a tool_use block start); 'data' where it certainly would not
 * (message_start, ping, block stops, message_delta, empty text, thinking);
 * 'suspect' for anything else, decoded for real: message_stop before any token
 * (the decoder judges an empty answer), errors, unknown events and shapes, key
 * layouts with spaces. Keys only match as keys: quotes inside JSON strings are
 * escaped.
 */
import { bytesAt, bytesEqual, EVENT_FIELD as EVENT } from '../../sse/bytes.js';
import type { SkimFrame, SkimKind } from '../../sse/parser.js';

const b = (s: string): Buffer => Buffer.from(s);
const NO_TOKEN_EVENTS = ['message_start', 'ping', 'content_block_stop', 'message_delta'].map(b);
const BLOCK_START = b('content_block_start');
const BLOCK_DELTA = b('content_block_delta');
const TOOL_USE = b('"type":"tool_use"');
const TEXT_BLOCK = b('"type":"text"');
const TEXT_DELTA = b('"type":"text_delta"');
const NO_TOKEN_BLOCKS = ['"type":"thinking"', '"type":"redacted_thinking"'].map(b);
const NO_TOKEN_DELTAS = ['"type":"thinking_delta"', '"type":"signature_delta"'].map(b);
const TEXT_KEY = b('"text":');

/** Where `pat` (which starts with a quote) first occurs in buf[from, to), or -1. */
function find(buf: Buffer, pat: Buffer, from: number, to: number): number {
  for (let i = from; i + pat.length <= to; i++) if (buf[i] === 0x22 && bytesAt(buf, i, pat)) return i;
  return -1;
}

const has = (buf: Buffer, pats: Buffer[], from: number, to: number): boolean => pats.some((p) => find(buf, p, from, to) !== -1);

/** The frame's `"text":` value: an empty string is no token, a non-empty one is. */
function textValue(buf: Buffer, from: number, to: number): SkimKind {
  const at = find(buf, TEXT_KEY, from, to);
  if (at === -1) return 'suspect';
  const v = at + TEXT_KEY.length;
  if (buf[v] !== 0x22 || v + 1 >= to) return 'suspect';
  return buf[v + 1] === 0x22 ? 'data' : 'token';
}

/** The head classifier over `skim`, the format's after-token classifier (shape, end and error checks). */
export function anthropicSkimHead(skim: SkimFrame): SkimFrame {
  return (buf, start, firstLf, lines, end) => {
    if (skim(buf, start, firstLf, lines, end) !== 'data') return 'suspect';
    const name = start + EVENT.length;
    const from = firstLf + 1;
    const to = end - 2;
    for (const e of NO_TOKEN_EVENTS) if (bytesEqual(buf, name, firstLf, e)) return 'data';
    if (bytesEqual(buf, name, firstLf, BLOCK_START)) {
      if (find(buf, TOOL_USE, from, to) !== -1) return 'token';
      if (find(buf, TEXT_BLOCK, from, to) !== -1) return textValue(buf, from, to);
      return has(buf, NO_TOKEN_BLOCKS, from, to) ? 'data' : 'suspect';
    }
    if (bytesEqual(buf, name, firstLf, BLOCK_DELTA)) {
      if (find(buf, TEXT_DELTA, from, to) !== -1) return textValue(buf, from, to);
      return has(buf, NO_TOKEN_DELTAS, from, to) ? 'data' : 'suspect';
    }
    return 'suspect';
  };
}
