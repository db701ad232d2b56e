/**
 * Fixture convention for this folder's `__fixtures__/*.chunks.txt`: one wire chunk per
 * line, each line a JSON string holding one complete SSE frame exactly as it travels
 * (`event: …\ndata: {…}\n\n`), so the event name and the bytes are both kept.
 * Test helper only (not imported by the format).
 */
import { readFileSync } from 'node:fs';
import { SseParser } from '../../sse/parser.js';
import type { SseFrame } from '../../sse/frame.js';

export function readChunks(name: string): string[] {
  const text = readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as string);
}

/** Parse SSE text into frames with the project's one SSE parser. */
export function framesOf(text: string): SseFrame[] {
  const p = new SseParser();
  return [...p.push(Buffer.from(text)), ...p.flush()];
}
