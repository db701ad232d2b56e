/**
 * Everything the router knows about one target (provider + model + credential):
 * its breaker, its adaptive concurrency limit and its timing (first token, whole answers, gaps). The breaker's state
 * lives in a BreakerStore record (shared across instances with a shared store); the
 * limiter and latency are this instance's own measure of its path to the target.
 */
import type { Clock } from '../core/clock.js';
import type { BreakerRecord } from '../storage/breaker-store.js';
import { CircuitBreaker } from './breaker.js';
import { LatencyStats } from './latency-stats.js';
import { AimdLimiter } from './limiter.js';
import type { RoutePolicy } from './policy.js';

export class TargetState {
  readonly breaker: CircuitBreaker;
  readonly limiter: AimdLimiter;
  /** Streams: time to first token. */
  readonly ttft = new LatencyStats();
  /** Whole (JSON) answers: time to the complete answer. */
  readonly answer = new LatencyStats();
  /** Streams: each wait for the next chunk after the first token (its rhythm). */
  readonly gaps = new LatencyStats(0.2, 1000);

  constructor(clock: Clock, policy: RoutePolicy, random: () => number, record?: BreakerRecord, changed?: () => void) {
    this.breaker = new CircuitBreaker(clock, policy.breaker, random, record, changed);
    this.limiter = new AimdLimiter(clock, policy.limiter);
    // Recovery: after the breaker closes again, ramp traffic up from a trickle (slow start).
    this.breaker.onChange = (state) => {
      if (state === 'closed') this.limiter.slowStart();
    };
  }
}
