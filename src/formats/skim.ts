/**
 * Skimming: once a pass-through stream has its first token, its frames are
 * forwarded as they are and only checked on their bytes (no string, no
 * object): 'end' (the format's proper end), 'data' (one `data:` line holding
 * one JSON object that is not an error), or 'suspect' (anything else: an error
 * event, a truncated or non-object payload, an unusual layout). Suspect frames
 * are decoded for real, so a malformed frame is still caught where it matters.
 */
import { bytesAt, bytesEqual, DATA_FIELD as DATA, EVENT_FIELD as EVENT } from '../sse/bytes.js';
import type { SkimFrame, SkimKind } from '../sse/parser.js';

const DONE = Buffer.from('[DONE]');
const ERROR_KEY = Buffer.from('"error"');
const OPEN = 0x7b;
const CLOSE = 0x7d;

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * The `data: <payload>` line buf[from, to) (`to` is the index of its LF):
 * 'data' for a whole JSON object whose first key is not "error", 'end' for
 * `[DONE]` when `done` allows it, else 'suspect'.
 */
export function skimDataLine(buf: Buffer, from: number, to: number, done = false): SkimKind {
  if (!bytesAt(buf, from, DATA)) return 'suspect';
  const p = from + DATA.length;
  if (to - p >= 2 && buf[p] === OPEN && buf[to - 1] === CLOSE) {
    let i = p + 1;
    while (i < to && isSpace(buf[i])) i++;
    return bytesAt(buf, i, ERROR_KEY) ? 'suspect' : 'data';
  }
  return done && bytesEqual(buf, p, to, DONE) ? 'end' : 'suspect';
}

/** OpenAI-style streams: one `data:` line per frame, `data: [DONE]` at the end. */
export const skimDataFrame: SkimFrame = (buf, start, _firstLf, lines, end) => (lines === 1 ? skimDataLine(buf, start, end - 2, true) : 'suspect');

const CONTENT = Buffer.from('"content"');
const REFUSAL = Buffer.from('"refusal"');
const TOOL_CALLS = Buffer.from('"tool_calls"');
const FINISH_REASON = Buffer.from('"finish_reason"');
const NULL = Buffer.from('null');

/** What a key's value says: part of the answer, nothing, or a shape to decode for real. */
type Verdict = 'token' | 'none' | 'suspect';

/**
 * OpenAI-style streams before the first token: as skimDataFrame, and 'token'
 * for a frame whose bytes show part of the answer: a non-empty `content` or
 * `refusal` string, a `tool_calls` array holding a call, or a `finish_reason`
 * string. Key names can only match as keys: inside JSON string values every
 * quote is escaped (and a matching string value has no colon after it). A frame
 * with none of them is plain 'data' (the role frame, usage, Azure's filter
 * results), so a pass-through stream needs no JSON.parse before it commits to
 * its target; any other value shape for those keys (content parts as an array,
 * say), and the end itself, are 'suspect' and decoded for real.
 */
export const skimDataFrameHead: SkimFrame = (buf, start, firstLf, lines, end) => {
  const kind = skimDataFrame(buf, start, firstLf, lines, end);
  // [DONE] before any token ends an empty answer: decoded for real (the decoder calls that a cut).
  if (kind !== 'data') return 'suspect';
  const to = end - 2;
  let out: SkimKind = 'data';
  // One pass over the bytes (a native search per key costs more than this loop on a frame of a few hundred bytes).
  for (let i = start + DATA.length; i < to; i++) {
    if (buf[i] !== 0x22) continue;
    const c = buf[i + 1];
    const key = c === 0x63 ? CONTENT : c === 0x72 ? REFUSAL : c === 0x74 ? TOOL_CALLS : c === 0x66 ? FINISH_REASON : undefined;
    if (key === undefined || !bytesAt(buf, i, key)) continue;
    let v = skipSpace(buf, i + key.length, to);
    i += key.length - 1;
    if (buf[v] !== 0x3a /* : */) continue;
    v = skipSpace(buf, v + 1, to);
    const verdict = v >= to ? 'suspect' : key === TOOL_CALLS ? callsValue(buf, v, to) : stringValue(buf, v);
    // A token is enough: the frame is forwarded as it is, whatever else it holds.
    if (verdict === 'token') return 'token';
    if (verdict === 'suspect') out = 'suspect';
  }
  return out;
};

const stringValue = (buf: Buffer, at: number): Verdict => (buf[at] === 0x22 ? (buf[at + 1] === 0x22 ? 'none' : 'token') : bytesAt(buf, at, NULL) ? 'none' : 'suspect');

const callsValue = (buf: Buffer, at: number, to: number): Verdict => {
  if (bytesAt(buf, at, NULL)) return 'none';
  if (buf[at] !== 0x5b /* [ */) return 'suspect';
  const first = buf[skipSpace(buf, at + 1, to)];
  return first === OPEN ? 'token' : first === 0x5d /* ] */ ? 'none' : 'suspect';
};

function skipSpace(buf: Buffer, i: number, to: number): number {
  while (i < to && isSpace(buf[i])) i++;
  return i;
}

/**
 * Event-named streams (Anthropic): `event: <name>` then one `data:` line. `end`
 * names the proper end; events in `suspect` (e.g. `error`) are always decoded.
 */
export function skimEventFrame(endEvent: string, suspectEvents: string[]): SkimFrame {
  const endName = Buffer.from(endEvent);
  const suspects = suspectEvents.map((e) => Buffer.from(e));
  return (buf, start, firstLf, lines, end) => {
    if (lines !== 2 || !bytesAt(buf, start, EVENT)) return 'suspect';
    const name = start + EVENT.length;
    for (const s of suspects) if (bytesEqual(buf, name, firstLf, s)) return 'suspect';
    const kind = skimDataLine(buf, firstLf + 1, end - 2);
    return kind === 'data' && bytesEqual(buf, name, firstLf, endName) ? 'end' : kind;
  };
}

/** Where a single parsed frame's bytes fit the skim shape: its first LF and line count (frames from a flush may lack the blank line). */
export function skimParsedFrame(skim: SkimFrame, raw: Buffer): SkimKind {
  const n = raw.length;
  if (n < 2 || raw[n - 1] !== 0x0a || raw[n - 2] !== 0x0a || raw.indexOf(0x0d) !== -1) return 'suspect';
  let firstLf = -1;
  let lines = 0;
  for (let i = raw.indexOf(0x0a); i !== -1 && i < n - 1; i = raw.indexOf(0x0a, i + 1)) {
    if (firstLf === -1) firstLf = i;
    lines++;
  }
  return skim(raw, 0, firstLf, lines, n);
}
