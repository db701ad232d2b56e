/**
 * Per-route resilience settings with documented defaults (README, "Failover").
 * Config maps YAML onto this; everything here has a safe default.
 */
import { DEFAULT_BREAKER, type BreakerOptions } from './breaker.js';
import { DEFAULT_LIMITER, type LimiterOptions } from './limiter.js';

export type Strategy = 'ordered' | 'weighted' | 'least-loaded';

export interface RoutePolicy {
  strategy: Strategy;
  /** Upstream attempts per client request, first included. */
  maxAttempts: number;
  /** One deadline for the whole client request (all attempts). */
  deadlineMs: number;
  /** Per attempt, streaming: no first token within this -> next target. */
  ttftTimeoutMs: number;
  /** Per attempt, non-streamed: no complete answer within this -> next target (the whole answer is generated before it is sent). */
  jsonTimeoutMs: number;
  /** Per attempt, streaming: no bytes for this long -> stalled. */
  idleTimeoutMs: number;
  /**
   * The three timers above are bounds: within them each attempt's timers follow the remaining
   * deadline, the targets left and the target's learned pace (routing/attempt-timers.ts).
   * false: the bounds are the timers.
   */
  adaptiveTimeouts: boolean;
  /** No attempt's first-token or answer timer is shorter (unless the deadline is). */
  attemptFloorMs: number;
  /** No learned idle timer is shorter: healthy streams pause. */
  idleFloorMs: number;
  /** Retries + failovers + hedges as a share of first attempts, plus a floor per second. */
  budgetRatio: number;
  budgetFloorPerSecond: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** How long to park a credential whose quota is exhausted when the provider gives no reset time. */
  quotaParkMs: number;
  /** How long to park a credential the provider refused (401/403): the next target serves meanwhile, then it is tried again. */
  authParkMs: number;
  /** Default wait after a 429 without any reset hint. */
  rateLimitParkMs: number;
  /** When no target has capacity: wait up to this long for a slot, within the deadline (0 = refuse at once with 503). */
  queueMaxWaitMs: number;
  queueMaxSize: number;
  /**
   * Hedging (streams): after the target's p99 time to first token (never sooner than hedgeMinMs;
   * or hedgeAfterMs if set) with no first token, try the next target too, within the retry budget.
   */
  hedge: boolean;
  hedgeAfterMs?: number;
  hedgeMinMs: number;
  /** Continue a cut stream on another target. */
  resume: boolean;
  breaker: BreakerOptions;
  limiter: LimiterOptions;
}

export const DEFAULT_POLICY: RoutePolicy = {
  strategy: 'ordered',
  maxAttempts: 3,
  deadlineMs: 600_000,
  ttftTimeoutMs: 60_000,
  jsonTimeoutMs: 300_000,
  idleTimeoutMs: 30_000,
  adaptiveTimeouts: true,
  attemptFloorMs: 1_000,
  idleFloorMs: 3_000,
  budgetRatio: 0.1,
  budgetFloorPerSecond: 1,
  backoffBaseMs: 100,
  backoffCapMs: 2_000,
  quotaParkMs: 15 * 60_000,
  authParkMs: 60_000,
  rateLimitParkMs: 1_000,
  queueMaxWaitMs: 30_000,
  queueMaxSize: 1_000,
  hedge: true,
  hedgeMinMs: 500,
  resume: true,
  breaker: DEFAULT_BREAKER,
  limiter: DEFAULT_LIMITER,
};

export function policyWith(overrides: Partial<Omit<RoutePolicy, 'breaker' | 'limiter'>> & { breaker?: Partial<BreakerOptions>; limiter?: Partial<LimiterOptions> } = {}): RoutePolicy {
  return {
    ...DEFAULT_POLICY,
    ...overrides,
    breaker: { ...DEFAULT_POLICY.breaker, ...overrides.breaker },
    limiter: { ...DEFAULT_POLICY.limiter, ...overrides.limiter },
  };
}
