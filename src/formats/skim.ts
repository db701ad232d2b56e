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
