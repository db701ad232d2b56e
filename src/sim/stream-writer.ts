/**
 * Writes a simulated stream's frames, and a mid-stream fault where one applies: the failure
 * (a cut, a stall, a malformed frame, the provider's error event, an event too large to hold)
 * after `after` frames, with the frames before it — and after it, for a malformed frame that
 * the provider follows with the rest of the answer — written one by one, together in one write,
 * or split at random byte offsets. Real providers send bursts (issue #22: frames that arrived in
 * the same read as a malformed one were lost), so a fault must be reproducible in every shape.
 */
import type { ServerResponse } from 'node:http';
import { createSystemClock, type Clock } from '../core/clock.js';
import { seededRandom } from '../core/random.js';
import type { SimFault } from './faults.js';
import type { SimWire } from './wire.js';

type StreamFault = Extract<SimFault, { after: number }>;

const DEFAULT_OVERSIZED_BYTES = 17 * 1048576;

export function isStreamFault(f: SimFault | undefined): f is StreamFault {
  return f !== undefined && 'after' in f;
}

type Frame = string | Buffer;

/** Frames as one buffer (text frames and binary ones alike). */
function joined(frames: Frame[]): Buffer {
  return Buffer.concat(frames.map((f) => (typeof f === 'string' ? Buffer.from(f) : f)));
}

/**
 * Frames one by one with `gap` ms between them (0: all in one write); `fault` breaks the stream after its `after` frames.
 * Waits run on `clock`, so a scaled clock compresses a simulated answer with everything else (drills).
 */
export async function writeStream(res: ServerResponse, wire: SimWire, frames: Frame[], gap: number, fault: StreamFault | undefined, clock: Clock = createSystemClock()): Promise<void> {
  const pace = new Pacer(clock, gap);
  if (!fault) {
    if (gap === 0) return void res.end(joined(frames));
    for (let i = 0; i < frames.length; i++) {
      if (res.destroyed) return;
      res.write(frames[i]);
      if (gap > 0 && i < frames.length - 1) await pace.next(res);
    }
    return void res.end();
  }
  const before = frames.slice(0, fault.after);
  const failure = failureBytes(fault, wire);
  const rest = fault.kind === 'malformed-after' && fault.continue ? frames.slice(fault.after) : [];
  const writes = fault.writes ?? 'each';
  if (writes === 'each') {
    for (const f of before) {
      if (res.destroyed) return;
      res.write(f);
      if (gap > 0) await pace.next(res);
    }
    if (failure.length > 0) res.write(failure);
    for (const f of rest) {
      if (res.destroyed) return;
      if (gap > 0) await pace.next(res);
      res.write(f);
    }
  } else {
    const all = joined([...before, failure, ...rest]);
    const pieces = writes === 'together' ? [all] : randomSplit(all, seededRandom(fault.seed ?? 1));
    for (const p of pieces) {
      if (res.destroyed) return;
      res.write(p);
      // Give the socket a turn, so pieces can reach the gateway as reads of their own.
      if (pieces.length > 1) await new Promise<void>((r) => setImmediate(r));
    }
  }
  return end(res, fault, frames.slice(fault.after), gap, clock);
}

/** What the fault sends at its point: a bad frame, an error event, a huge unfinished event, or nothing. */
function failureBytes(fault: StreamFault, wire: SimWire): Frame {
  switch (fault.kind) {
    case 'malformed-after':
      return wire.malformedFrame();
    case 'error-after':
      return wire.streamErrorFrame();
    case 'oversized-after':
      return `data: {"x":"${'x'.repeat(fault.bytes ?? DEFAULT_OVERSIZED_BYTES)}`;
    default:
      return '';
  }
}

/** How the stream ends after its fault: the socket destroyed, held open (or for a while, then the rest), or closed. */
async function end(res: ServerResponse, fault: StreamFault, rest: Frame[], gap: number, clock: Clock): Promise<void> {
  if (res.destroyed) return;
  if (fault.kind === 'cut-after') {
    // Let what was written reach the client before the cut, as a real mid-stream failure looks.
    return void res.write('', () => res.destroy());
  }
  if (fault.kind === 'stall-after') {
    if (fault.ms === undefined) return; // hold the socket open, send nothing more
    await delay(fault.ms, res, clock);
    const pace = new Pacer(clock, gap);
    for (const f of rest) {
      if (res.destroyed) return;
      res.write(f);
      if (gap > 0) await pace.next(res);
    }
    if (!res.destroyed) res.end();
    return;
  }
  res.end();
}

/** 1 to 8 pieces of random lengths (boundaries anywhere, inside frames and inside UTF-8 sequences too). */
function randomSplit(all: Buffer, random: () => number): Buffer[] {
  const n = 1 + Math.floor(random() * 8);
  const cuts = new Set<number>();
  for (let i = 1; i < n; i++) cuts.add(1 + Math.floor(random() * (all.length - 1)));
  const at = [0, ...[...cuts].sort((a, b) => a - b), all.length];
  const out: Buffer[] = [];
  for (let i = 0; i + 1 < at.length; i++) out.push(all.subarray(at[i], at[i + 1]));
  return out;
}

/**
 * `gap` ms per frame counted from the stream's start, not from the previous write: a wait
 * shorter than the clock can time (a drill replays 25 ms words at 660x: 0.04 ms) is caught
 * up at the next tick instead of each one being rounded up to a whole tick.
 */
class Pacer {
  private due: number;

  constructor(
    private readonly clock: Clock,
    private readonly gap: number,
  ) {
    this.due = clock.now();
  }

  async next(res: ServerResponse): Promise<void> {
    this.due += this.gap;
    const wait = this.due - this.clock.now();
    if (wait > 0) await delay(wait, res, this.clock);
  }
}

/** `ms` on `clock`, or until the response closes (the client went away). */
export function delay(ms: number, res: ServerResponse, clock: Clock = createSystemClock()): Promise<void> {
  return new Promise((resolve) => {
    const t = clock.setTimeout(done, ms);
    function done() {
      clock.clearTimeout(t);
      res.off('close', done);
      resolve();
    }
    res.once('close', done);
  });
}
