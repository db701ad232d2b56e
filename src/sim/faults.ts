/**
 * The simulator's fault schedule: which failure (if any) the next request
 * gets. Rules are checked in order; the first that matches applies. Modeled on
 * the incident patterns of shared/scenarios.md.
 */
import type { Clock } from '../core/clock.js';
import { createSystemClock } from '../core/clock.js';
import { seededRandom } from '../core/random.js';

export type SimFault =
  /** Answer with this status and the provider's real error body and headers. */
  | { kind: 'status'; status: number; retryAfterSeconds?: number; /** `quota`: the provider's quota-exhausted error instead of a rate limit (429 only). */ variant?: 'quota' }
  /** This status with exactly this body: an error that is not the provider's documented shape (2023-11-08: a 429 `{"status":"come back later"}`). */
  | { kind: 'body'; status: number; body: string; contentType?: string }
  /** An edge/CDN error page: HTML body, not the provider's JSON shape (2023-11-08). */
  | { kind: 'edge-html'; status: 502 | 503 | 504 }
  /** Destroy the socket as soon as the request arrives (connection reset). */
  | { kind: 'reset' }
  /** Send nothing for `ms` (default: until the client gives up). */
  | { kind: 'stall-before-first-byte'; ms?: number }
  /** Stream `after` chunks, then stop sending (socket stays open) for `ms` (default: forever). */
  | ({ kind: 'stall-after'; after: number; ms?: number } & StreamWrites)
  /** Stream `after` chunks, then destroy the socket. */
  | ({ kind: 'cut-after'; after: number } & StreamWrites)
  /** Stream `after` chunks, then a frame that is not valid JSON, then close (or, with `continue`, the rest of the answer). */
  | ({ kind: 'malformed-after'; after: number; continue?: boolean } & StreamWrites)
  /** Stream `after` chunks, then the provider's own in-stream error event (overloaded), then close. */
  | ({ kind: 'error-after'; after: number } & StreamWrites)
  /** Stream `after` chunks, then one event of `bytes` bytes (default 17 MiB) that never ends, then close. */
  | ({ kind: 'oversized-after'; after: number; bytes?: number } & StreamWrites)
  /** Stream slowly: this many ms between chunks. */
  | { kind: 'trickle'; chunkDelayMs: number };

/**
 * How a mid-stream fault's bytes go out: each frame in its own write (default, with the sim's
 * chunk delay between), all of them in one write with the failure (a burst, as real providers
 * and busy event loops deliver them), or split at random byte offsets (seeded by `seed`) into
 * writes that may arrive as separate reads, boundaries inside frames included.
 */
export interface StreamWrites {
  writes?: 'each' | 'together' | 'random';
  seed?: number;
}

export interface FaultRule {
  fault: SimFault;
  /** Apply to this fraction of matching requests (0..1, deterministic by seed). Default 1. */
  fraction?: number;
  /** Apply to at most this many requests, then the rule is spent. */
  times?: number;
  /** Only requests for this upstream model. */
  model?: string;
  /** Active window in ms since the schedule was set (by the schedule's clock). */
  fromMs?: number;
  untilMs?: number;
}

interface LiveRule extends FaultRule {
  used: number;
}


export class FaultSchedule {
  private rules: LiveRule[] = [];
  private setAt: number;
  private random: () => number;

  constructor(
    rules: FaultRule[] = [],
    private readonly clock: Clock = createSystemClock(),
    seed = 1,
  ) {
    this.random = seededRandom(seed);
    this.setAt = clock.now();
    this.set(rules);
  }

  /** Replace the rules; windows restart from now. */
  set(rules: FaultRule[]): void {
    this.rules = rules.map((r) => ({ ...r, used: 0 }));
    this.setAt = this.clock.now();
  }

  list(): FaultRule[] {
    return this.rules.map(({ used: _used, ...r }) => r);
  }

  /** The fault for the next request for `model`, consuming one use of its rule. */
  pick(model: string): SimFault | undefined {
    const elapsed = this.clock.now() - this.setAt;
    for (const r of this.rules) {
      if (r.model !== undefined && r.model !== model) continue;
      if (r.fromMs !== undefined && elapsed < r.fromMs) continue;
      if (r.untilMs !== undefined && elapsed >= r.untilMs) continue;
      if (r.times !== undefined && r.used >= r.times) continue;
      if (r.fraction !== undefined && r.fraction < 1 && this.random() >= r.fraction) continue;
      r.used++;
      return r.fault;
    }
    return undefined;
  }
}
