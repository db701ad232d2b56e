/**
 * `status:` keys for health storage and active probes (the rest of `status:`,
 * vendor_feeds, lives in vendor-feeds-schema.ts).
 *
 * ```yaml
 * status:
 *   data_dir: ./.switchyard-data   # SQLite file switchyard.db lives here; `serve` defaults to this
 *   retention_days: 90             # per-minute buckets and resolved incidents older than this are pruned
 *   probes:
 *     enabled: false               # probe components that have no recent traffic (each probe is a 1-token request)
 *     interval_s: 60
 * ```
 */
import { z } from 'zod';
import { whole } from './schema-primitives.js';
import { resolveStoreChoice, STORE_KEYS, storeFields, type DurableStoreChoice } from './storage-schema.js';

export const STATUS_STORE_KEYS = ['data_dir', 'retention_days', 'probes', ...STORE_KEYS] as const;
export const PROBE_KEYS = ['enabled', 'interval_s'] as const;
export const DEFAULT_RETENTION_DAYS = 90;
export const DEFAULT_PROBE_INTERVAL_S = 60;
/** Probes cost tokens and the provider's patience; more often than this is not "cheap". */
export const MIN_PROBE_INTERVAL_S = 10;

export interface StatusStoreConfig extends DurableStoreChoice {
  /** Directory of the SQLite store; absent = the gateway's default (serve: ./.switchyard-data). */
  dataDir?: string;
  retentionDays: number;
  probes: { enabled: boolean; intervalMs: number };
}


/** Spread into the `status:` object schema. */
export const statusStoreFields = {
  data_dir: z.string({ error: 'expected a directory path, e.g. ./.switchyard-data' }).trim().min(1, { error: 'must not be empty; expected a directory path' }).optional(),
  retention_days: whole('whole days from 1 to 3650', 1, 3650).optional(),
  probes: z
    .strictObject(
      {
        enabled: z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean({ error: 'expected true or false' })).optional(),
        interval_s: whole(`whole seconds, at least ${MIN_PROBE_INTERVAL_S}`, MIN_PROBE_INTERVAL_S, 86_400).optional(),
      },
      { error: 'expected a mapping like { enabled: true, interval_s: 60 }' },
    )
    .optional(),
  ...storeFields,
};

export interface RawStatusStore {
  data_dir?: string | undefined;
  retention_days?: number | undefined;
  probes?: { enabled?: boolean | undefined; interval_s?: number | undefined } | undefined;
  store?: 'sqlite' | 'postgres' | undefined;
  postgres_url?: string | undefined;
  database_url?: string | undefined;
}

export function resolveStatusStore(raw: RawStatusStore | undefined): StatusStoreConfig | undefined {
  if (!raw || (raw.data_dir === undefined && raw.retention_days === undefined && raw.probes === undefined && raw.store === undefined)) return undefined;
  const out: StatusStoreConfig = {
    retentionDays: raw.retention_days ?? DEFAULT_RETENTION_DAYS,
    probes: { enabled: raw.probes?.enabled ?? false, intervalMs: (raw.probes?.interval_s ?? DEFAULT_PROBE_INTERVAL_S) * 1000 },
    ...resolveStoreChoice(raw),
  };
  if (raw.data_dir !== undefined) out.dataDir = raw.data_dir;
  return out;
}
