/**
 * How long one attempt may take (issue #24): while another target could still answer, an attempt
 * gets a fair share of what is left of the client's deadline, never less than what this target
 * normally needs, within the route's configured bounds. The rule, as docs/failover.md states it:
 *
 *   share  = remaining deadline ÷ targets that could still be tried (this one included)
 *   first token (streams)  = min(ttft_timeout_ms, max(floor, share, 3 × the target's p95 time to first token))
 *   whole answer (JSON)    = min(json_timeout_ms, max(floor, share, 3 × the target's p95 answer time))
 *   idle gap (streams)     = min(idle_timeout_ms, max(idle_floor_ms, 4 × the target's p99 gap between chunks))
 *                            until 200 gaps are known, or for the last target: min(idle_timeout_ms, max(idle_floor_ms, share))
 *
 * So a target that normally answers in 300 ms and has said nothing for a third of a 10 s deadline
 * is left in time for the next one, while a reasoning model whose first token normally takes 20 s
 * is given 60 s (its own pace, not the share). The last target that could answer gets the whole
 * remaining deadline (within the bounds); so does a stream from it, whatever its rhythm. With `adaptive_timeouts: false` the bounds are the timers.
 */
import type { RoutePolicy } from './policy.js';
import type { TargetState } from './target-state.js';

export interface AttemptTimers {
  /** Streams: no first token within this -> the next target. */
  ttftMs: number;
  /** JSON: no complete answer within this -> the next target. */
  answerMs: number;
  /** Streams: no chunk for this long after the first token -> stalled. */
  idleMs: number;
  /** Where the stream's gaps are learned (the target's), when they are. */
  gaps?: { add(ms: number): void };
}

/** Samples before a target's own pace counts. */
const MIN_PACE_SAMPLES = 20;
const MIN_GAP_SAMPLES = 200;
/** How far past its normal a target may go before it is judged stuck. */
const PACE_MULTIPLE = 3;
const GAP_MULTIPLE = 4;

/** The configured bounds as they are: no learning, no share (adaptive timeouts off). */
export function fixedTimers(policy: RoutePolicy): AttemptTimers {
  return { ttftMs: policy.ttftTimeoutMs, answerMs: policy.jsonTimeoutMs, idleMs: policy.idleTimeoutMs };
}

/**
 * The timers for an attempt on a target with `state`, `remainingMs` before the client's deadline,
 * `viable` targets (this one included) that could still be tried after it fails.
 */
export function attemptTimers(policy: RoutePolicy, state: TargetState, remainingMs: number, viable: number): AttemptTimers {
  if (!policy.adaptiveTimeouts) return { ...fixedTimers(policy), gaps: state.gaps };
  const share = viable > 1 ? remainingMs / viable : remainingMs;
  const floor = Math.max(policy.attemptFloorMs, share);
  const ttft = state.ttft.quantile(0.95, MIN_PACE_SAMPLES);
  const answer = state.answer.quantile(0.95, MIN_PACE_SAMPLES);
  const gap = state.gaps.quantile(0.99, MIN_GAP_SAMPLES);
  return {
    ttftMs: Math.round(Math.min(policy.ttftTimeoutMs, ttft === undefined ? floor : Math.max(floor, PACE_MULTIPLE * ttft))),
    answerMs: Math.round(Math.min(policy.jsonTimeoutMs, answer === undefined ? floor : Math.max(floor, PACE_MULTIPLE * answer))),
    // The last target that could answer is not cut for its rhythm: nothing else would continue the answer.
    idleMs: Math.round(Math.min(policy.idleTimeoutMs, Math.max(policy.idleFloorMs, gap === undefined || viable <= 1 ? share : GAP_MULTIPLE * gap))),
    gaps: state.gaps,
  };
}
