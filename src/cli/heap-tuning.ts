/**
 * How far V8 lets the gateway's old generation grow before its next full
 * collection. On a machine with gigabytes of memory V8 lets it grow up to 4x
 * what survived the last full GC. A gateway's live heap is small (about 15 MB)
 * but under load it promotes a steady trickle of requests that were in flight
 * across two young-generation collections (0.3-2 KB per request at 256
 * connections), so the old generation filled with garbage up to that limit:
 * peak RSS 163-174 MB in 10 of 11 runs of 256 streams, 256 JSON requests and
 * 32 streams (one run: 127 MB). At a fixed 1.5x the same load peaked at
 * 131-134 MB (three runs); the price is
 * more full collections of that small heap (JSON at 256 connections: 36
 * instead of 8 in 8 s, about 2-3 µs of main-thread GC per request when
 * promotion is high, nothing measurable when it is low). Users who set the
 * flag themselves (NODE_OPTIONS or node's command line) keep theirs.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

/** The flag to set, or undefined when the user already chose one. */
export function heapGrowingFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | undefined {
  const chosen = (s: string) => /--heap[-_]growing[-_]percent\b/.test(s);
  if (execArgv.some(chosen) || (nodeOptions !== undefined && chosen(nodeOptions))) return undefined;
  return `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/** Apply it to this process (V8 reads the factor at each full GC, so setting it after start takes effect). */
export function tuneHeapGrowth(env: Record<string, string | undefined>): void {
  const flag = heapGrowingFlag(process.execArgv, env.NODE_OPTIONS);
  if (flag) setFlagsFromString(flag);
}
