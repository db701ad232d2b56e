/**
 * `auth:`, `allow_unauthenticated_public:` and `guard:` (issue #25): who may call the gateway,
 * how much, and when it sheds. Every field is optional; the defaults are DEFAULT_GUARD_SETTINGS
 * (src/guard/settings.ts) and docs/guard.md's tables.
 *
 * ```yaml
 * auth: keys                          # keys | none (default: none, today's behaviour)
 * guard:
 *   admin_key: ${SWITCHYARD_ADMIN_KEY} # enables /admin/keys; without it the admin API is off
 *   default_limits: { requests_per_minute: 600, budget: { usd: 20, period: day } }
 *   teams: { research: { tokens_per_minute: 2000000 } }
 *   prices: { my-finetune: { input: 3, output: 12 }, default: { input: 1, output: 4 } }
 *   priorities: [{ name: interactive, reserved_share: 0.25 }, { name: batch }]
 * ```
 * The admin key is a secret: messages never echo it, guardSecrets() hands it to the redaction.
 */
import { z } from 'zod';
import { bool, whole } from './schema-primitives.js';
import { DEFAULT_GUARD_SETTINGS, DEFAULT_IP_LIMIT, type GuardSettings } from '../guard/settings.js';
import type { Price } from '../guard/prices.js';
import { BUDGET_PERIODS, type BudgetPeriod, type KeyLimits } from '../storage/key-store.js';

export const AUTH_KEYS = ['auth', 'allow_unauthenticated_public', 'guard'] as const;
export const GUARD_KEYS = [
  'admin_key', 'data_dir', 'key_refresh_ms', 'default_limits', 'teams', 'estimated_output_tokens', 'prices',
  'overload', 'priorities', 'default_priority', 'ip_limit', 'lease_ms',
] as const;
const LIMIT_KEYS = ['requests_per_minute', 'tokens_per_minute', 'concurrent_requests', 'budget'] as const;
const OVERLOAD_KEYS = ['max_event_loop_delay_ms', 'max_in_flight', 'max_heap_ratio', 'retry_after_ms', 'sample_interval_ms'] as const;
const IP_LIMIT_KEYS = ['requests_per_minute', 'burst', 'max_tracked', 'exempt_loopback'] as const;
/** An admin key shorter than this is a password, not a key. */
export const MIN_ADMIN_KEY_LENGTH = 24;
/** The variable read when guard.admin_key is not in the file. */
export const ADMIN_KEY_ENV = 'SWITCHYARD_ADMIN_KEY';

const fraction = (what: string) => z.number({ error: `expected ${what}` }).min(0, { error: `expected ${what}` }).max(1, { error: `expected ${what}` });
const perMillion = z.number({ error: 'expected US dollars per million tokens, e.g. 2.5' }).min(0, { error: 'expected US dollars per million tokens (>= 0)' });
const priceSchema = z.strictObject({ input: perMillion, output: perMillion }, { error: 'expected { input, output } in US dollars per million tokens' });
const MS = 'a duration in milliseconds';

const limitsSchema = z.strictObject(
  {
    requests_per_minute: whole('a whole number of requests per minute', 0, 1e9).optional(),
    tokens_per_minute: whole('a whole number of tokens per minute', 0, 1e12).optional(),
    concurrent_requests: whole('a whole number of concurrent requests', 0, 1e6).optional(),
    budget: z
      .strictObject(
        {
          usd: z.number({ error: 'expected a number of US dollars > 0, e.g. 20' }).positive({ error: 'expected a number of US dollars > 0' }),
          period: z.enum(BUDGET_PERIODS as [BudgetPeriod, ...BudgetPeriod[]], { error: `expected one of ${BUDGET_PERIODS.join(', ')}` }),
        },
        { error: 'expected { usd, period } like { usd: 20, period: day }' },
      )
      .optional(),
  },
  { error: 'expected a mapping like { requests_per_minute: 60, budget: { usd: 20, period: day } }' },
);

export const guardSchema = z
  .strictObject(
    {
      admin_key: z.string({ error: 'expected a string, usually ${SWITCHYARD_ADMIN_KEY}' }).optional(),
      data_dir: z.string({ error: 'expected a directory path' }).trim().min(1, { error: 'must not be empty; expected a directory path' }).optional(),
      key_refresh_ms: whole(`${MS} from 100`, 100, 3_600_000).optional(),
      default_limits: limitsSchema.optional(),
      teams: z.record(z.string(), limitsSchema, { error: 'expected a mapping of team labels to limits' }).optional(),
      estimated_output_tokens: whole('a whole number of tokens', 1, 10_000_000).optional(),
      prices: z.record(z.string(), priceSchema, { error: 'expected a mapping of model-id prefixes to { input, output }' }).optional(),
      overload: z
        .strictObject(
          {
            max_event_loop_delay_ms: whole(`${MS} (0 = not measured)`, 0, 60_000).optional(),
            max_in_flight: whole('a whole number of requests (0 = not counted)', 0, 10_000_000).optional(),
            max_heap_ratio: fraction('a fraction of the heap limit from 0 to 1 (0 = not measured)').optional(),
            retry_after_ms: whole(MS, 0, 3_600_000).optional(),
            sample_interval_ms: whole(`${MS} from 10`, 10, 60_000).optional(),
          },
          { error: 'expected a mapping like { max_event_loop_delay_ms: 200 }' },
        )
        .optional(),
      priorities: z
        .array(
          z.strictObject(
            {
              name: z.string({ error: 'expected a class name' }).trim().regex(/^[A-Za-z0-9_.-]+$/, { error: 'may only contain letters, digits, "_", "." and "-"' }),
              reserved_share: fraction('a share of capacity from 0 to 1').optional(),
            },
            { error: 'expected { name, reserved_share }' },
          ),
          { error: 'expected a list of classes, highest priority first' },
        )
        .min(1, { error: 'empty; list at least one class' })
        .optional(),
      default_priority: z.string({ error: 'expected the name of a priority class' }).trim().optional(),
      ip_limit: z
        .union([
          z.literal(false),
          z.strictObject({
            requests_per_minute: whole('a whole number of requests per minute', 1, 1e9).optional(),
            burst: whole('a whole number of requests', 1, 1e6).optional(),
            max_tracked: whole('a whole number of addresses', 1, 10_000_000).optional(),
            exempt_loopback: bool.optional(),
          }),
        ], { error: 'expected false (off) or a mapping like { requests_per_minute: 600, burst: 100 }' })
        .optional(),
      lease_ms: whole(`${MS} from 1000`, 1000, 86_400_000).optional(),
    },
    { error: 'expected a mapping like { admin_key: "${SWITCHYARD_ADMIN_KEY}" }' },
  )
  .superRefine((g, ctx) => {
    const key = g.admin_key;
    if (key !== undefined && key !== '' && key.length < MIN_ADMIN_KEY_LENGTH) {
      ctx.addIssue({ code: 'custom', path: ['admin_key'], message: `too short (at least ${MIN_ADMIN_KEY_LENGTH} characters); generate one with: openssl rand -hex 32` });
    }
    const names = (g.priorities ?? []).map((p) => p.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) ctx.addIssue({ code: 'custom', path: ['priorities', i, 'name'], message: `duplicate priority class "${n}"` });
    });
    const reserved = (g.priorities ?? []).reduce((s, p) => s + (p.reserved_share ?? 0), 0);
    if (reserved >= 1) ctx.addIssue({ code: 'custom', path: ['priorities'], message: `reserved shares add up to ${reserved}; they must leave something for the lowest class (below 1)` });
    const classes = g.priorities ? names : DEFAULT_GUARD_SETTINGS.priorities.map((p) => p.name);
    if (g.default_priority !== undefined && !classes.includes(g.default_priority)) {
      ctx.addIssue({ code: 'custom', path: ['default_priority'], message: `unknown priority class "${g.default_priority}"; classes: ${classes.join(', ')}` });
    }
  });

export const authFields = {
  auth: z.enum(['keys', 'none'], { error: 'expected keys (virtual keys required) or none (no authentication)' }).optional(),
  allow_unauthenticated_public: bool.optional(),
  guard: guardSchema.optional(),
};

export interface RawAuth {
  auth?: 'keys' | 'none' | undefined;
  allow_unauthenticated_public?: boolean | undefined;
  guard?: z.infer<typeof guardSchema> | undefined;
}

type RawLimits = z.infer<typeof limitsSchema>;

function limitsFrom(raw: RawLimits | undefined): KeyLimits {
  const out: KeyLimits = {};
  if (!raw) return out;
  if (raw.requests_per_minute !== undefined) out.requestsPerMinute = raw.requests_per_minute;
  if (raw.tokens_per_minute !== undefined) out.tokensPerMinute = raw.tokens_per_minute;
  if (raw.concurrent_requests !== undefined) out.concurrentRequests = raw.concurrent_requests;
  if (raw.budget) out.budget = { micros: Math.round(raw.budget.usd * 1_000_000), period: raw.budget.period };
  return out;
}

/** Settings with defaults applied. The admin key comes from the file, else SWITCHYARD_ADMIN_KEY. */
export function resolveGuard(raw: RawAuth, env: NodeJS.ProcessEnv): GuardSettings {
  const d = DEFAULT_GUARD_SETTINGS;
  const g = raw.guard ?? {};
  const o = g.overload ?? {};
  const prices: Record<string, Price> = { ...(g.prices ?? {}) };
  const defaultPrice = prices.default;
  delete prices.default;
  const out: GuardSettings = {
    ...d,
    auth: raw.auth ?? d.auth,
    allowUnauthenticatedPublic: raw.allow_unauthenticated_public ?? d.allowUnauthenticatedPublic,
    keyRefreshMs: g.key_refresh_ms ?? d.keyRefreshMs,
    defaultLimits: limitsFrom(g.default_limits),
    teams: Object.fromEntries(Object.entries(g.teams ?? {}).map(([t, l]) => [t, limitsFrom(l)])),
    estimatedOutputTokens: g.estimated_output_tokens ?? d.estimatedOutputTokens,
    prices,
    overload: {
      maxEventLoopDelayMs: o.max_event_loop_delay_ms ?? d.overload.maxEventLoopDelayMs,
      maxInFlight: o.max_in_flight ?? d.overload.maxInFlight,
      maxHeapRatio: o.max_heap_ratio ?? d.overload.maxHeapRatio,
      retryAfterMs: o.retry_after_ms ?? d.overload.retryAfterMs,
      sampleIntervalMs: o.sample_interval_ms ?? d.overload.sampleIntervalMs,
    },
    priorities: g.priorities ? g.priorities.map((p) => ({ name: p.name, reservedShare: p.reserved_share ?? 0 })) : d.priorities,
    leaseMs: g.lease_ms ?? d.leaseMs,
  };
  out.defaultPriority = g.default_priority ?? (g.priorities ? out.priorities[0]!.name : d.defaultPriority);
  const adminKey = g.admin_key ?? env[ADMIN_KEY_ENV];
  // `${SWITCHYARD_ADMIN_KEY:-}` resolving to '' means "no admin API", not an empty password.
  if (adminKey !== undefined && adminKey !== '') out.adminKey = adminKey;
  else delete out.adminKey;
  if (g.data_dir !== undefined) out.dataDir = g.data_dir;
  if (defaultPrice) out.defaultPrice = defaultPrice;
  if (g.ip_limit === false) delete out.ipLimit;
  else if (g.ip_limit) {
    out.ipLimit = {
      requestsPerMinute: g.ip_limit.requests_per_minute ?? DEFAULT_IP_LIMIT.requestsPerMinute,
      burst: g.ip_limit.burst ?? DEFAULT_IP_LIMIT.burst,
      maxTracked: g.ip_limit.max_tracked ?? DEFAULT_IP_LIMIT.maxTracked,
      exemptLoopback: g.ip_limit.exempt_loopback ?? DEFAULT_IP_LIMIT.exemptLoopback,
    };
  }
  return out;
}

/** Allowed keys under `guard:` by YAML path, for "unknown key" messages with a did-you-mean. */
export function guardAllowedKeys(path: readonly PropertyKey[]): readonly string[] {
  const [, section, , sub] = path;
  if (path.length === 1) return GUARD_KEYS;
  if (section === 'default_limits') return path.length === 2 ? LIMIT_KEYS : ['usd', 'period'];
  if (section === 'teams') return path.length === 3 ? LIMIT_KEYS : ['usd', 'period'];
  if (section === 'overload') return OVERLOAD_KEYS;
  if (section === 'ip_limit') return IP_LIMIT_KEYS;
  if (section === 'priorities') return ['name', 'reserved_share'];
  if (section === 'prices') return sub === undefined ? ['input', 'output'] : [];
  return [];
}

/** The admin key, for redaction of config messages. */
export function guardSecrets(tree: unknown): string[] {
  const guard = tree !== null && typeof tree === 'object' ? (tree as { guard?: unknown }).guard : undefined;
  const key = guard !== null && typeof guard === 'object' ? (guard as { admin_key?: unknown }).admin_key : undefined;
  return typeof key === 'string' ? [key] : [];
}

/** The guard settings of a loaded config; a config from the environment (no file) gets the defaults. */
export function guardSettingsFor(config: { guard?: GuardSettings }, env: NodeJS.ProcessEnv): GuardSettings {
  return config.guard ?? resolveGuard({}, env);
}
