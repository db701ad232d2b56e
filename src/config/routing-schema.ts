/**
 * `routing:` — resilience settings, as defaults at the top level and as
 * per-model overrides (`models[].routing`). Every field is optional; the
 * defaults are DEFAULT_POLICY (src/routing/policy.ts) and the README's table.
 */
import { z } from 'zod';
import { DEFAULT_POLICY, type RoutePolicy } from '../routing/policy.js';

const ms = (what = 'a duration in milliseconds') => z.number({ error: `expected ${what}` }).int({ error: `expected ${what}` }).min(0, { error: `expected ${what} (>= 0)` });
const count = (min: number, max: number) => z.number({ error: `expected an integer from ${min} to ${max}` }).int().min(min).max(max);
const share = z.number({ error: 'expected a number from 0 to 1' }).min(0).max(1);

export const ROUTING_KEYS = [
  'strategy', 'max_attempts', 'deadline_ms', 'ttft_timeout_ms', 'json_timeout_ms', 'idle_timeout_ms', 'adaptive_timeouts', 'attempt_floor_ms', 'idle_floor_ms', 'retry_budget', 'backoff',
  'quota_park_ms', 'auth_park_ms', 'rate_limit_park_ms', 'queue', 'hedge', 'resume', 'breaker', 'limiter',
] as const;

export const routingSchema = z.strictObject({
  strategy: z.enum(['ordered', 'weighted', 'least-loaded'], { error: 'expected one of ordered, weighted, least-loaded' }).optional(),
  max_attempts: count(1, 10).optional(),
  deadline_ms: ms().optional(),
  ttft_timeout_ms: ms().optional(),
  json_timeout_ms: ms().optional(),
  idle_timeout_ms: ms().optional(),
  adaptive_timeouts: z.boolean({ error: 'expected true or false' }).optional(),
  attempt_floor_ms: ms().optional(),
  idle_floor_ms: ms().optional(),
  retry_budget: z.strictObject({ ratio: share.optional(), floor_per_second: z.number().min(0).optional() }).optional(),
  backoff: z.strictObject({ base_ms: ms().optional(), cap_ms: ms().optional() }).optional(),
  quota_park_ms: ms().optional(),
  auth_park_ms: ms().optional(),
  rate_limit_park_ms: ms().optional(),
  queue: z.strictObject({ max_wait_ms: ms().optional(), max_size: count(0, 100_000).optional() }).optional(),
  hedge: z.strictObject({ enabled: z.boolean().optional(), after_ms: ms().optional(), min_after_ms: ms().optional() }).optional(),
  resume: z.boolean({ error: 'expected true or false' }).optional(),
  breaker: z
    .strictObject({
      consecutive_failures: count(1, 1000).optional(),
      failure_rate: share.optional(),
      min_volume: count(1, 1_000_000).optional(),
      window_ms: ms().optional(),
      open_base_ms: ms().optional(),
      open_max_ms: ms().optional(),
      half_open_probes: count(1, 100).optional(),
    })
    .optional(),
  limiter: z.strictObject({ initial: count(1, 100_000).optional(), min: count(1, 100_000).optional(), max: count(1, 100_000).optional() }).optional(),
});

export type RawRouting = z.infer<typeof routingSchema>;

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Apply YAML overrides on top of `base` (the global policy, or DEFAULT_POLICY). */
export function resolveRouting(raw: RawRouting | undefined, base: RoutePolicy = DEFAULT_POLICY): RoutePolicy {
  if (!raw) return base;
  const p: RoutePolicy = {
    ...base,
    ...defined({
      strategy: raw.strategy,
      maxAttempts: raw.max_attempts,
      deadlineMs: raw.deadline_ms,
      ttftTimeoutMs: raw.ttft_timeout_ms,
      jsonTimeoutMs: raw.json_timeout_ms,
      idleTimeoutMs: raw.idle_timeout_ms,
      adaptiveTimeouts: raw.adaptive_timeouts,
      attemptFloorMs: raw.attempt_floor_ms,
      idleFloorMs: raw.idle_floor_ms,
      budgetRatio: raw.retry_budget?.ratio,
      budgetFloorPerSecond: raw.retry_budget?.floor_per_second,
      backoffBaseMs: raw.backoff?.base_ms,
      backoffCapMs: raw.backoff?.cap_ms,
      quotaParkMs: raw.quota_park_ms,
      authParkMs: raw.auth_park_ms,
      rateLimitParkMs: raw.rate_limit_park_ms,
      queueMaxWaitMs: raw.queue?.max_wait_ms,
      queueMaxSize: raw.queue?.max_size,
      hedge: raw.hedge?.enabled,
      hedgeAfterMs: raw.hedge?.after_ms,
      hedgeMinMs: raw.hedge?.min_after_ms,
      resume: raw.resume,
    }),
    breaker: {
      ...base.breaker,
      ...defined({
        consecutiveFailures: raw.breaker?.consecutive_failures,
        failureRate: raw.breaker?.failure_rate,
        minVolume: raw.breaker?.min_volume,
        windowMs: raw.breaker?.window_ms,
        openBaseMs: raw.breaker?.open_base_ms,
        openMaxMs: raw.breaker?.open_max_ms,
        halfOpenProbes: raw.breaker?.half_open_probes,
      }),
    },
    limiter: { ...base.limiter, ...defined({ initial: raw.limiter?.initial, min: raw.limiter?.min, max: raw.limiter?.max }) },
  };
  return p;
}
