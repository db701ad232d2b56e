/**
 * Thresholds for deriving a component's state from passive signals. The
 * defaults aim at the acceptance in issue 5: one failed request opens nothing,
 * half the requests failing over a minute does, and flapping yields one
 * incident with few updates rather than a storm.
 */
export interface HealthPolicy {
  /** Error rate and latency are judged over this sliding window. */
  windowMs: number;
  /** Window granularity: the window slides in steps of this size. */
  slotMs: number;
  /** Below this many outcomes in the window, rates mean nothing; the streak rule applies instead. */
  minVolume: number;
  /** At least this many failures in the window before any outage state (one failure is noise). */
  minErrors: number;
  /** Error-rate thresholds for partial_outage and major_outage. */
  partialErrorRate: number;
  majorErrorRate: number;
  /** Low volume: this many consecutive failures (within streakLookbackMs) mean major_outage, as many successes mean recovered. */
  streak: number;
  streakLookbackMs: number;
  /** A worse state must persist this long before the component takes it. */
  raiseHoldMs: number;
  /** A better state must persist this long before the component takes it (damps flapping). */
  lowerHoldMs: number;
  /** An incident resolves after all its components stayed operational this long. */
  resolveAfterMs: number;
  /** degraded_performance when the window's median TTFT exceeds max(baseline x factor, baseline + minExtraMs). */
  degradedFactor: number;
  degradedMinExtraMs: number;
  /** Weight of each new window median in the baseline (exponential moving average). */
  baselineAlpha: number;
  /** Baseline updates needed before latency can mark a component degraded. */
  baselineMinUpdates: number;
  /** How often states are evaluated and buckets flushed to storage. */
  evalIntervalMs: number;
  flushIntervalMs: number;
  /** A minute counts towards uptime when the component saw an outcome this recently (or was not operational). */
  observedWithinMs: number;
  /** Upper bound on tracked components, so a flood of odd model ids cannot grow memory or storage without limit. */
  maxComponents: number;
}

export const DEFAULT_HEALTH_POLICY: Readonly<HealthPolicy> = {
  windowMs: 60_000,
  slotMs: 10_000,
  minVolume: 5,
  minErrors: 3,
  partialErrorRate: 0.1,
  majorErrorRate: 0.5,
  streak: 3,
  streakLookbackMs: 10 * 60_000,
  raiseHoldMs: 30_000,
  lowerHoldMs: 120_000,
  resolveAfterMs: 5 * 60_000,
  degradedFactor: 3,
  degradedMinExtraMs: 1_000,
  baselineAlpha: 0.1,
  baselineMinUpdates: 6,
  evalIntervalMs: 5_000,
  flushIntervalMs: 5_000,
  observedWithinMs: 15 * 60_000,
  maxComponents: 1_000,
};
