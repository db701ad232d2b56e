/**
 * Virtual keys at rest, behind a narrow interface (DESIGN.md principle 8; issue #25 item 1).
 * A record holds the key's SHA-256 digest and a short display prefix, never the key itself:
 * whoever reads the store (a backup, a stolen disk) cannot call the gateway with what they find.
 * openKeyStore loads the SQLite driver only when asked for.
 */

export type BudgetPeriod = 'day' | 'week' | 'month';
export const BUDGET_PERIODS: readonly BudgetPeriod[] = ['day', 'week', 'month'];

/** Limits of a key or a team. An absent field is "no limit of that kind" (after defaults are applied). */
export interface KeyLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  concurrentRequests?: number;
  /** Spend per calendar period (UTC), in integer micro-dollars (1 USD = 1,000,000). */
  budget?: { micros: number; period: BudgetPeriod };
}

export interface StoredKey {
  /** Public identifier (`key_…`), used by the admin API and the CLI. */
  id: string;
  /** SHA-256 of the whole key, lower-case hex. */
  hash: string;
  /** Non-secret start of the key for listings, e.g. `sk-sy-AbCd`. */
  prefix: string;
  name: string;
  team?: string;
  owner?: string;
  /** Model aliases this key may ask for; absent = all. */
  aliases?: string[];
  /** Priority class (guard.priorities); absent = the configured default. */
  priority?: string;
  /** Epoch ms after which the key is refused. */
  expiresAt?: number;
  metadata: Record<string, string>;
  /** The key's own limits; the guard fills absent fields from guard.default_limits. */
  limits: KeyLimits;
  createdAt: number;
  updatedAt: number;
  revokedAt?: number;
  /** The key this one replaced by rotation, still accepted until validUntil (epoch ms). */
  previous?: { hash: string; prefix: string; validUntil: number };
}

type Clearable = 'team' | 'owner' | 'aliases' | 'priority' | 'expiresAt';

/** Fields an update may change; `null` clears an optional field. */
export type KeyPatch = Partial<Pick<StoredKey, 'name' | 'metadata' | 'limits'>> & { [K in Clearable]?: StoredKey[K] | null };

export interface KeyStore {
  /** Rejects when the id or the hash is already taken. */
  create(key: StoredKey): Promise<void>;
  get(id: string): Promise<StoredKey | undefined>;
  /**
   * The key whose current hash, or whose rotated-out previous hash, is `hash`. The caller tells
   * which by comparing, and checks revocation, expiry and the grace period itself.
   */
  findByHash(hash: string): Promise<StoredKey | undefined>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<StoredKey[]>;
  update(id: string, patch: KeyPatch, now: number): Promise<StoredKey | undefined>;
  /** Idempotent: a second revoke keeps the first time. */
  revoke(id: string, now: number): Promise<StoredKey | undefined>;
  /**
   * Replace the key's hash; the old one stays valid until `graceUntil` (none when that is not
   * after `now`). One grace at a time: rotating again drops an older previous hash.
   */
  rotate(id: string, next: { hash: string; prefix: string }, graceUntil: number, now: number): Promise<StoredKey | undefined>;
  /**
   * A number that grows with every write, by any process sharing the store (the CLI writes to the
   * gateway's file): a cache reloads only when it changed.
   */
  revision(): Promise<number>;
  close(): Promise<void>;
}

export type KeyStoreOptions =
  | { kind: 'memory' }
  /** One file, `<dir>/keys.db`, created with its directory when missing. */
  | { kind: 'sqlite'; dir: string; now?: number };

/** Apply a patch to a copy of `key` (shared by the adapters so they agree on null and absent). */
export function patchedKey(key: StoredKey, patch: KeyPatch, now: number): StoredKey {
  const out: StoredKey = structuredClone(key);
  if (patch.name !== undefined) out.name = patch.name;
  if (patch.metadata !== undefined) out.metadata = { ...patch.metadata };
  if (patch.limits !== undefined) out.limits = structuredClone(patch.limits);
  for (const field of ['team', 'owner', 'aliases', 'priority', 'expiresAt'] as const) {
    const v = patch[field];
    if (v === null) delete out[field];
    else if (v !== undefined) (out as unknown as Record<string, unknown>)[field] = structuredClone(v);
  }
  out.updatedAt = now;
  return out;
}

/** The rotated copy of `key` (shared by the adapters). */
export function rotatedKey(key: StoredKey, next: { hash: string; prefix: string }, graceUntil: number, now: number): StoredKey {
  const out: StoredKey = structuredClone(key);
  if (graceUntil > now) out.previous = { hash: key.hash, prefix: key.prefix, validUntil: graceUntil };
  else delete out.previous;
  out.hash = next.hash;
  out.prefix = next.prefix;
  out.updatedAt = now;
  return out;
}
