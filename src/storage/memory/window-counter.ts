/**
 * A sliding window of fixed sub-buckets counting requests and tokens for one subject.
 *
 * Why this algorithm (issue #25 item 3 acceptance: "RPM 60 offered 600 in a burst: exactly 60
 * admitted in the window; Retry-After equal to the real time until admission; bounded memory"):
 * - A token bucket / GCRA with a burst of the whole limit admits the burst and then refills
 *   continuously, so a 60-second interval can admit almost twice the limit; with a small burst
 *   it would refuse most of a legitimate burst.
 * - A sliding-window counter (two fixed windows, the previous one weighted) assumes traffic was
 *   spread evenly: a burst at the end of one window lets about twice the limit through.
 * - A sliding-window log is exact but holds one entry per admitted request (memory grows with
 *   the limit), and tokens settled after the fact would need per-entry edits.
 * Here an admitted request is added to the bucket of its time and leaves the window SLOTS buckets
 * later: it counts for at least WINDOW_MS (never more than the limit in any WINDOW_MS interval)
 * and at most one bucket longer. Memory is fixed (SLOTS x 3 numbers), settlement edits one bucket,
 * and the time until a refused request fits is exact: when enough of the oldest buckets leave.
 * A Redis adapter keeps the same buckets in one hash per subject.
 */
import { WINDOW_MS } from '../limit-store.js';

export class WindowCounter {
  /** Buckets per window, plus the one being filled. */
  readonly slots: number;
  private readonly bucketId: Float64Array;
  private readonly reqs: Float64Array;
  private readonly toks: Float64Array;
  requests = 0;
  tokens = 0;
  /** Lowest bucket number that may still hold counts. */
  private oldest = 0;

  constructor(readonly granularityMs = 1000) {
    this.slots = Math.ceil(WINDOW_MS / granularityMs) + 1;
    this.bucketId = new Float64Array(this.slots).fill(-1);
    this.reqs = new Float64Array(this.slots);
    this.toks = new Float64Array(this.slots);
  }

  /** Drop buckets that left the window at `now`. Amortised O(1): each bucket leaves once. */
  advance(now: number): void {
    const firstLive = Math.floor(now / this.granularityMs) - this.slots + 1;
    if (firstLive - this.oldest >= this.slots) {
      this.bucketId.fill(-1);
      this.reqs.fill(0);
      this.toks.fill(0);
      this.requests = this.tokens = 0;
    } else {
      for (let b = this.oldest; b < firstLive; b++) this.clear(b);
    }
    if (firstLive > this.oldest) this.oldest = firstLive;
  }

  add(now: number, requests: number, tokens: number): void {
    const b = Math.floor(now / this.granularityMs);
    const i = b % this.slots;
    if (this.bucketId[i] !== b) {
      this.clear(this.bucketId[i]!);
      this.bucketId[i] = b;
    }
    this.reqs[i]! += requests;
    this.toks[i]! += tokens;
    this.requests += requests;
    this.tokens += tokens;
  }

  /** Add `tokens` (may be negative) to the bucket of `at`, if it is still in the window; never below zero. */
  adjustTokens(at: number, tokens: number): void {
    const b = Math.floor(at / this.granularityMs);
    const i = b % this.slots;
    if (b < this.oldest || this.bucketId[i] !== b) return;
    const next = Math.max(0, this.toks[i]! + tokens);
    this.tokens += next - this.toks[i]!;
    this.toks[i] = next;
  }

  /**
   * Ms from `now` until `excess` requests (or tokens) have left the window; 0 when excess <= 0.
   * Call after advance(now).
   */
  waitFor(now: number, excess: number, of: 'requests' | 'tokens'): number {
    if (excess <= 0) return 0;
    const values = of === 'requests' ? this.reqs : this.toks;
    const newest = Math.floor(now / this.granularityMs);
    let freed = 0;
    for (let b = this.oldest; b <= newest; b++) {
      const i = b % this.slots;
      if (this.bucketId[i] !== b) continue;
      freed += values[i]!;
      if (freed >= excess) return this.leavesAt(b) - now;
    }
    // Unreachable when excess <= the current count; the caller never asks for more.
    return this.leavesAt(newest) - now;
  }

  /** Ms from `now` until everything counted now has left the window (0 when empty). */
  resetMs(now: number, of: 'requests' | 'tokens'): number {
    const values = of === 'requests' ? this.reqs : this.toks;
    for (let b = Math.floor(now / this.granularityMs); b >= this.oldest; b--) {
      const i = b % this.slots;
      if (this.bucketId[i] === b && values[i]! > 0) return this.leavesAt(b) - now;
    }
    return 0;
  }

  private leavesAt(bucket: number): number {
    return (bucket + this.slots) * this.granularityMs;
  }

  private clear(bucket: number): void {
    if (bucket < 0) return;
    const i = bucket % this.slots;
    if (this.bucketId[i] !== bucket) return;
    this.requests -= this.reqs[i]!;
    this.tokens -= this.toks[i]!;
    this.bucketId[i] = -1;
    this.reqs[i] = 0;
    this.toks[i] = 0;
  }
}
