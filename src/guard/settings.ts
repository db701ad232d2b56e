/**
 * The guard's resolved settings (config/guard-schema.ts builds them from `auth:` and `guard:`).
 * Defaults are chosen so a gateway that sets nothing behaves as before issue #25 on loopback:
 * no keys, no limits, shedding only under real overload.
 */
import type { KeyLimits } from '../storage/key-store.js';
import type { Price } from './prices.js';

export type AuthMode = 'keys' | 'none';

/** A priority class; classes are listed highest first. */
export interface PriorityClass {
  name: string;
  /**
   * Share of the gateway's capacity (0..1) that classes below this one may not use: a class is
   * shed once load passes 1 minus the reserved shares of every class above it.
   */
  reservedShare: number;
}

export interface OverloadSettings {
  /** Event-loop delay (p99 over the last sample) at which load is 1; 0 = not measured. */
  maxEventLoopDelayMs: number;
  /** Requests in flight through this guard at which load is 1; 0 = not counted. */
  maxInFlight: number;
  /** Heap used / heap limit at which load is 1; 0 = not measured. */
  maxHeapRatio: number;
  /** Retry-After of a shed request. */
  retryAfterMs: number;
  /** How often event-loop delay and heap are sampled. */
  sampleIntervalMs: number;
}

export interface IpLimitSettings {
  requestsPerMinute: number;
  /** Requests one address may send at once before the rate applies. */
  burst: number;
  /** Addresses remembered; the least recently seen is forgotten beyond this (bounded memory). */
  maxTracked: number;
  /** Loopback clients (the operator's own tools, benchmarks) are not limited. */
  exemptLoopback: boolean;
}

export interface GuardSettings {
  auth: AuthMode;
  /** `auth: none` on a non-loopback interface was asked for on purpose (start-up warns instead of refusing). */
  allowUnauthenticatedPublic: boolean;
  /** Bearer token of the admin API; absent = admin API disabled. */
  adminKey?: string;
  /** Directory of keys.db; absent = status.data_dir, else the gateway's default. */
  dataDir?: string;
  /** How often the key cache checks the store for changes made elsewhere (the CLI, another instance). */
  keyRefreshMs: number;
  /** Limits for every field a key leaves unset. */
  defaultLimits: KeyLimits;
  /** Limits per team label, shared by all of the team's keys. */
  teams: Record<string, KeyLimits>;
  /** Output tokens reserved for a request without max_tokens. */
  estimatedOutputTokens: number;
  /** Price overrides by model-id prefix (on top of DEFAULT_PRICES). */
  prices: Record<string, Price>;
  /** Price of models nothing else prices; absent = they cost nothing against budgets. */
  defaultPrice?: Price;
  overload: OverloadSettings;
  priorities: PriorityClass[];
  defaultPriority: string;
  /** Per-address limit when `auth: none`; absent = off. */
  ipLimit?: IpLimitSettings;
  /** A concurrency slot ends by itself after this long if its request never settled. */
  leaseMs: number;
  /** Retry-After for a refusal by concurrency (its real wait depends on other requests ending). */
  concurrencyRetryAfterMs: number;
}

export const DEFAULT_OVERLOAD: OverloadSettings = {
  maxEventLoopDelayMs: 200,
  maxInFlight: 5_000,
  maxHeapRatio: 0.9,
  retryAfterMs: 1_000,
  sampleIntervalMs: 250,
};

export const DEFAULT_PRIORITIES: PriorityClass[] = [
  { name: 'interactive', reservedShare: 0.25 },
  { name: 'batch', reservedShare: 0 },
];

export const DEFAULT_IP_LIMIT: IpLimitSettings = { requestsPerMinute: 600, burst: 100, maxTracked: 100_000, exemptLoopback: true };

export const DEFAULT_GUARD_SETTINGS: GuardSettings = {
  auth: 'none',
  allowUnauthenticatedPublic: false,
  keyRefreshMs: 5_000,
  defaultLimits: {},
  teams: {},
  estimatedOutputTokens: 1_024,
  prices: {},
  overload: DEFAULT_OVERLOAD,
  priorities: DEFAULT_PRIORITIES,
  defaultPriority: 'interactive',
  ipLimit: DEFAULT_IP_LIMIT,
  // Longer than the default request deadline (routing.deadline_ms, 10 minutes).
  leaseMs: 15 * 60_000,
  concurrencyRetryAfterMs: 1_000,
};

/** Where keys.db lives when neither guard.data_dir nor status.data_dir says (relative to the working directory). */
export const DEFAULT_KEYS_DIR = '.switchyard-data';
