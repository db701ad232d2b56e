/**
 * The `journal:` section (issue #26): conversation capture, opt-in.
 *
 * ```yaml
 * journal:
 *   enabled: true                  # default false: nothing is kept
 *   aliases: [chat, claude]        # only these models' traffic (default: every model)
 *   data_dir: ./.switchyard-data   # journal.db lives here (default: the gateway's data directory)
 *   retention_days: 30             # a conversation is removed this long after its last exchange
 *   redact:                        # before anything is stored; each detector defaults to true
 *     email: true
 *     phone: true
 *     secrets: true                # API keys, tokens, JWTs, Bearer …, password=…
 *     cards: true                  # card numbers that pass the Luhn check
 *     patterns:
 *       - { name: ticket, regex: 'TCK-\d{6}' }
 *       - { name: codename, regex: 'project (falcon|osprey)', ignore_case: true }
 *   max_wait_ms: 250               # how long a response's end waits for its exchange to be committed
 *   queue_max_entries: 10000       # exchanges waiting to be written; past this they are dropped and counted
 *   queue_max_bytes: 67108864
 * ```
 */
import { z } from 'zod';
import { bool, whole } from './schema-primitives.js';
import { patternProblem } from '../journal/detectors.js';
import { JOURNAL_DEFAULTS, type JournalConfig } from '../journal/journal-config.js';
import type { ConfigIssue } from './config-error.js';
import { resolveStoreChoice, STORE_KEYS, storeFields } from './storage-schema.js';
import { suggestion } from './did-you-mean.js';

export const JOURNAL_KEYS = ['enabled', 'aliases', 'data_dir', 'retention_days', 'redact', 'max_wait_ms', 'queue_max_entries', 'queue_max_bytes', ...STORE_KEYS] as const;
export const REDACT_KEYS = ['email', 'phone', 'secrets', 'cards', 'patterns'] as const;
export const PATTERN_KEYS = ['name', 'regex', 'ignore_case'] as const;


const patternSchema = z
  .strictObject(
    {
      name: z
        .string({ error: 'missing; expected a name for the replacement, e.g. ticket' })
        .regex(/^[A-Za-z0-9_.-]+$/, { error: 'may only contain letters, digits, "_", "." and "-"' }),
      regex: z.string({ error: 'missing; expected a regular expression, e.g. TCK-\\d{6}' }),
      ignore_case: bool.optional(),
    },
    { error: "expected a mapping like { name: ticket, regex: 'TCK-\\d{6}' }" },
  )
  .check((ctx) => {
    const problem = patternProblem(ctx.value.regex, ctx.value.ignore_case ?? false);
    if (problem) ctx.issues.push({ code: 'custom', input: ctx.value.regex, path: ['regex'], message: `the pattern ${problem}` });
  });

export const journalSchema = z.strictObject(
  {
    enabled: bool.optional(),
    aliases: z.array(z.string({ error: 'expected a model name' }), { error: 'expected a list of model names, e.g. [chat, claude]' }).optional(),
    data_dir: z.string({ error: 'expected a directory path, e.g. ./.switchyard-data' }).trim().min(1, { error: 'must not be empty; expected a directory path' }).optional(),
    retention_days: whole('whole days from 1 to 3650', 1, 3650).optional(),
    redact: z
      .strictObject(
        { email: bool.optional(), phone: bool.optional(), secrets: bool.optional(), cards: bool.optional(), patterns: z.array(patternSchema, { error: 'expected a list of { name, regex }' }).optional() },
        { error: 'expected a mapping like { email: true, patterns: [...] }' },
      )
      .optional(),
    max_wait_ms: whole('whole milliseconds from 0 to 60000', 0, 60_000).optional(),
    queue_max_entries: whole('a whole number from 1 to 10000000', 1, 10_000_000).optional(),
    queue_max_bytes: whole('a whole number of bytes, at least 1048576 (1 MiB)', 1_048_576, Number.MAX_SAFE_INTEGER).optional(),
    ...storeFields,
  },
  { error: 'expected a mapping like { enabled: true }' },
);

export type RawJournal = z.infer<typeof journalSchema>;

export function resolveJournal(raw: RawJournal | undefined): JournalConfig | undefined {
  if (!raw) return undefined;
  const r = raw.redact ?? {};
  const out: JournalConfig = {
    enabled: raw.enabled ?? false,
    retentionDays: raw.retention_days ?? JOURNAL_DEFAULTS.retentionDays,
    redact: {
      email: r.email ?? true,
      phone: r.phone ?? true,
      secrets: r.secrets ?? true,
      cards: r.cards ?? true,
      patterns: (r.patterns ?? []).map((p) => ({ name: p.name, regex: p.regex, ignoreCase: p.ignore_case ?? false })),
    },
    maxWaitMs: raw.max_wait_ms ?? JOURNAL_DEFAULTS.maxWaitMs,
    queueMaxEntries: raw.queue_max_entries ?? JOURNAL_DEFAULTS.queueMaxEntries,
    queueMaxBytes: raw.queue_max_bytes ?? JOURNAL_DEFAULTS.queueMaxBytes,
    ...resolveStoreChoice(raw),
  };
  if (raw.aliases !== undefined) out.aliases = [...new Set(raw.aliases)];
  if (raw.data_dir !== undefined) out.dataDir = raw.data_dir;
  return out;
}

/** `journal.aliases` must name models that exist (read defensively, like cross-check.ts). */
export function checkJournalAliases(root: unknown): ConfigIssue[] {
  if (root === null || typeof root !== 'object') return [];
  const { journal, models } = root as { journal?: unknown; models?: unknown };
  const aliases = (journal as { aliases?: unknown } | null)?.aliases;
  if (!Array.isArray(aliases)) return [];
  const names = Array.isArray(models) ? models.map((m) => (m as { name?: unknown } | null)?.name).filter((n): n is string => typeof n === 'string') : [];
  const issues: ConfigIssue[] = [];
  aliases.forEach((a, i) => {
    if (typeof a === 'string' && !names.includes(a)) {
      const defined = names.length > 0 ? `defined models: ${names.join(', ')}` : 'no models are defined';
      issues.push({ path: `journal.aliases[${i}]`, message: `unknown model "${a}"${suggestion(a, names)}; ${defined}` });
    }
  });
  return issues;
}
