/**
 * Where shared state and durable data live (issue #27):
 *
 * ```yaml
 * storage:
 *   state: redis                  # memory (default): one instance's own | redis: shared by the fleet
 *   redis_url: ${REDIS_URL}       # redis:// or rediss://, required with state: redis
 *   key_prefix: "switchyard:"     # every key and channel starts with it
 *   fallback_instances: 2         # divides the limits if Redis is away before any instance count was read
 * status:
 *   store: postgres               # sqlite (default) | postgres
 *   postgres_url: ${DATABASE_URL} # or database_url; required with store: postgres
 * journal:
 *   store: postgres
 *   database_url: ${DATABASE_URL}
 * ```
 * URLs may carry passwords: messages never echo them, storageSecrets() hands them to redaction.
 */
import { z } from 'zod';
import type { ConfigIssue } from './config-error.js';

export const STORAGE_KEYS = ['state', 'redis_url', 'key_prefix', 'fallback_instances'] as const;
/** Spread into `status:` and `journal:`. */
export const STORE_KEYS = ['store', 'postgres_url', 'database_url'] as const;
export const DEFAULT_FALLBACK_INSTANCES = 2;

export type StorageConfig =
  | { state: 'memory' }
  | { state: 'redis'; redisUrl: string; keyPrefix: string; fallbackInstances: number };

/** `status.store` / `journal.store` resolved: absent fields = SQLite in the data directory. */
export interface DurableStoreChoice {
  store?: 'sqlite' | 'postgres';
  /** Set when store is postgres. */
  postgresUrl?: string;
}

const url = (schemes: readonly string[], example: string) =>
  z.string({ error: `expected a URL like ${example}` }).check((ctx) => {
    if (!hasScheme(ctx.value.trim(), schemes)) ctx.issues.push({ code: 'custom', input: '(not shown)', message: `expected a ${schemes.join(' or ')} URL like ${example} (the value is not shown: it may hold a password)` });
  });

const whole = (what: string, min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: `expected ${what}` })
      .int({ error: `expected ${what}` })
      .min(min, { error: `out of range; expected ${what}` })
      .max(max, { error: `out of range; expected ${what}` }),
  );

export const storageSchema = z.strictObject(
  {
    state: z.enum(['memory', 'redis'], { error: 'expected memory or redis' }).optional(),
    redis_url: url(['redis:', 'rediss:'], 'redis://redis:6379').optional(),
    key_prefix: z.string({ error: 'expected a string like "switchyard:"' }).min(1, { error: 'must not be empty' }).max(100, { error: 'at most 100 characters' }).optional(),
    fallback_instances: whole('a whole number of instances from 1 to 1000', 1, 1000).optional(),
  },
  { error: 'expected a mapping like { state: redis, redis_url: ${REDIS_URL} }' },
);

/** Spread into the `status:` and `journal:` object schemas. */
export const storeFields = {
  store: z.enum(['sqlite', 'postgres'], { error: 'expected sqlite or postgres' }).optional(),
  postgres_url: url(['postgres:', 'postgresql:'], 'postgres://user@db:5432/switchyard').optional(),
  database_url: url(['postgres:', 'postgresql:'], 'postgres://user@db:5432/switchyard').optional(),
};

export type RawStorage = z.infer<typeof storageSchema>;

export function resolveStorage(raw: RawStorage | undefined): StorageConfig | undefined {
  if (!raw) return undefined;
  if ((raw.state ?? 'memory') === 'memory') return { state: 'memory' };
  return { state: 'redis', redisUrl: raw.redis_url!.trim(), keyPrefix: raw.key_prefix ?? 'switchyard:', fallbackInstances: raw.fallback_instances ?? DEFAULT_FALLBACK_INSTANCES };
}

export function resolveStoreChoice(raw: { store?: 'sqlite' | 'postgres' | undefined; postgres_url?: string | undefined; database_url?: string | undefined } | undefined): DurableStoreChoice {
  if (!raw?.store) return {};
  if (raw.store === 'sqlite') return { store: 'sqlite' };
  return { store: 'postgres', postgresUrl: (raw.postgres_url ?? raw.database_url)!.trim() };
}

/** The URLs a store choice needs (read defensively, like cross-check.ts): reported with their path. */
export function checkStorageUrls(root: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const section = (name: string) => {
    const v = root !== null && typeof root === 'object' ? (root as Record<string, unknown>)[name] : undefined;
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  };
  const storage = section('storage');
  if (storage?.state === 'redis' && storage.redis_url === undefined) issues.push({ path: 'storage.redis_url', message: 'missing; state: redis needs the Redis URL, e.g. redis_url: ${REDIS_URL}' });
  for (const name of ['status', 'journal']) {
    const s = section(name);
    if (!s) continue;
    if (s.postgres_url !== undefined && s.database_url !== undefined) issues.push({ path: `${name}.database_url`, message: 'give postgres_url or database_url, not both' });
    else if (s.store === 'postgres' && s.postgres_url === undefined && s.database_url === undefined) issues.push({ path: `${name}.postgres_url`, message: 'missing; store: postgres needs the database URL, e.g. postgres_url: ${DATABASE_URL}' });
  }
  return issues;
}

/** Every storage URL in the raw tree, and the passwords inside them: never echoed in messages or logs. */
export function storageSecrets(root: unknown): string[] {
  const out: string[] = [];
  const add = (v: unknown) => {
    if (typeof v !== 'string' || v === '') return;
    out.push(v);
    try {
      const u = new URL(v);
      if (u.password) out.push(u.password, decodeURIComponent(u.password));
    } catch {
      // Not a URL: the whole value is already listed.
    }
  };
  if (root === null || typeof root !== 'object') return out;
  const r = root as Record<string, Record<string, unknown> | undefined>;
  add(r.storage?.redis_url);
  for (const name of ['status', 'journal']) {
    add(r[name]?.postgres_url);
    add(r[name]?.database_url);
  }
  return out;
}

/** The same for a resolved configuration (the gateway's log redactor). */
export function resolvedStorageSecrets(config: { storage?: StorageConfig; status?: DurableStoreChoice; journal?: DurableStoreChoice }): string[] {
  return storageSecrets({
    storage: config.storage?.state === 'redis' ? { redis_url: config.storage.redisUrl } : undefined,
    status: { postgres_url: config.status?.postgresUrl },
    journal: { postgres_url: config.journal?.postgresUrl },
  });
}

function hasScheme(s: string, schemes: readonly string[]): boolean {
  try {
    const u = new URL(s);
    return schemes.includes(u.protocol) && u.hostname !== '';
  } catch {
    return false;
  }
}
