/**
 * What an admin may send to create or change a key (JSON, snake_case, as the admin API and the
 * CLI's flags both produce), validated once here with zod (not on the request path). Unknown
 * fields are errors, so a typo never silently does nothing.
 */
import { z } from 'zod';
import { BUDGET_PERIODS, type KeyLimits, type KeyPatch } from '../storage/key-store.js';

export interface KeyInput {
  name: string;
  team?: string;
  owner?: string;
  aliases?: string[];
  priority?: string;
  expiresAt?: number;
  metadata?: Record<string, string>;
  limits?: KeyLimits;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string; param: string };

const label = (what: string) => z.string({ error: `expected ${what}` }).trim().min(1, { error: `must not be empty; expected ${what}` }).max(100, { error: 'at most 100 characters' });
const count = z.number({ error: 'expected a whole number >= 0' }).int({ error: 'expected a whole number >= 0' }).min(0, { error: 'expected a whole number >= 0' }).max(1e12, { error: 'too large' });

const limitsSchema = z.strictObject(
  {
    requests_per_minute: count.optional(),
    tokens_per_minute: count.optional(),
    concurrent_requests: count.optional(),
    budget: z
      .strictObject(
        {
          usd: z.number({ error: 'expected a number of US dollars > 0, e.g. 10' }).positive({ error: 'expected a number of US dollars > 0' }).max(1e9, { error: 'too large' }),
          period: z.enum(BUDGET_PERIODS as [string, ...string[]], { error: `expected one of ${BUDGET_PERIODS.join(', ')}` }),
        },
        { error: 'expected { usd, period }' },
      )
      .optional(),
  },
  { error: 'expected { requests_per_minute, tokens_per_minute, concurrent_requests, budget: { usd, period } }' },
);

/** An ISO 8601 date-time, or seconds since the epoch. */
const instant = z.union([z.string(), z.number()], { error: 'expected an ISO 8601 date-time or epoch seconds' }).transform((v, ctx) => {
  const ms = typeof v === 'number' ? v * 1000 : Date.parse(v);
  if (!Number.isFinite(ms)) {
    ctx.issues.push({ code: 'custom', input: v, message: 'expected an ISO 8601 date-time like 2026-12-31T00:00:00Z, or epoch seconds' });
    return z.NEVER;
  }
  return ms;
});

const fields = {
  name: label('a name'),
  team: label('a team label').nullable().optional(),
  owner: label('an owner label').nullable().optional(),
  aliases: z.array(label('a model alias'), { error: 'expected a list of model aliases, or null for all' }).max(1000).nullable().optional(),
  priority: label('a priority class').nullable().optional(),
  expires_at: instant.nullable().optional(),
  metadata: z
    .record(z.string().max(64, { error: 'metadata keys are at most 64 characters' }), z.string({ error: 'metadata values are strings' }).max(500, { error: 'at most 500 characters' }), { error: 'expected a mapping of strings' })
    .refine((m) => Object.keys(m).length <= 32, { error: 'at most 32 metadata entries' })
    // The journal reads two entries: a key's own choice and its own retention.
    .refine((m) => m.journal === undefined || m.journal === 'on' || m.journal === 'off', { error: "metadata 'journal' is 'on' or 'off'", path: ['journal'] })
    .refine((m) => m.journal_retention_days === undefined || /^[1-9]\d{0,3}$/.test(m.journal_retention_days), { error: "metadata 'journal_retention_days' is a whole number of days, 1 to 9999", path: ['journal_retention_days'] })
    .optional(),
  limits: limitsSchema.optional(),
};

const createSchema = z.strictObject(fields, { error: 'expected a JSON object like {"name": "..."}' });
const updateSchema = z.strictObject({ ...fields, name: fields.name.optional() }, { error: 'expected a JSON object' });

type RawLimits = z.infer<typeof limitsSchema>;

function limitsFrom(raw: RawLimits): KeyLimits {
  const out: KeyLimits = {};
  if (raw.requests_per_minute !== undefined) out.requestsPerMinute = raw.requests_per_minute;
  if (raw.tokens_per_minute !== undefined) out.tokensPerMinute = raw.tokens_per_minute;
  if (raw.concurrent_requests !== undefined) out.concurrentRequests = raw.concurrent_requests;
  if (raw.budget) out.budget = { micros: Math.round(raw.budget.usd * 1_000_000), period: raw.budget.period as 'day' | 'week' | 'month' };
  return out;
}

function failure(error: z.ZodError): { ok: false; message: string; param: string } {
  const iss = error.issues[0]!;
  const param = iss.path.map(String).join('.');
  if (iss.code === 'unrecognized_keys') return { ok: false, message: `unknown field ${iss.keys.map((k) => `"${k}"`).join(', ')}`, param: [param, iss.keys[0]].filter(Boolean).join('.') };
  return { ok: false, message: iss.message, param };
}

export function parseKeyCreate(body: unknown): Parsed<KeyInput> {
  const r = createSchema.safeParse(body);
  if (!r.success) return failure(r.error);
  const d = r.data;
  const out: KeyInput = { name: d.name };
  if (d.team) out.team = d.team;
  if (d.owner) out.owner = d.owner;
  if (d.aliases) out.aliases = [...new Set(d.aliases)];
  if (d.priority) out.priority = d.priority;
  if (typeof d.expires_at === 'number') out.expiresAt = d.expires_at;
  if (d.metadata) out.metadata = d.metadata;
  if (d.limits) out.limits = limitsFrom(d.limits);
  return { ok: true, value: out };
}

export function parseKeyUpdate(body: unknown): Parsed<KeyPatch> {
  const r = updateSchema.safeParse(body);
  if (!r.success) return failure(r.error);
  const d = r.data;
  const out: KeyPatch = {};
  if (d.name !== undefined) out.name = d.name;
  if (d.team !== undefined) out.team = d.team;
  if (d.owner !== undefined) out.owner = d.owner;
  if (d.aliases !== undefined) out.aliases = d.aliases === null ? null : [...new Set(d.aliases)];
  if (d.priority !== undefined) out.priority = d.priority;
  if (d.expires_at !== undefined) out.expiresAt = d.expires_at;
  if (d.metadata !== undefined) out.metadata = d.metadata;
  if (d.limits !== undefined) out.limits = limitsFrom(d.limits);
  return { ok: true, value: out };
}
