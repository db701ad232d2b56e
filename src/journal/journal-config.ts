/**
 * The journal's resolved settings (the `journal:` section, src/config/journal-schema.ts),
 * with the defaults the docs promise. Capture is opt-in: nothing is kept unless `enabled`.
 */

export interface CustomPattern {
  /** Shown in the replacement: `[REDACTED:<name>]`. */
  name: string;
  /** A JavaScript regular expression source, checked when the configuration loads. */
  regex: string;
  ignoreCase: boolean;
}

export interface RedactionConfig {
  email: boolean;
  phone: boolean;
  /** API keys, tokens, JWTs, `Bearer …` and `password=…`-style credentials. */
  secrets: boolean;
  /** Payment card numbers that pass the Luhn check. */
  cards: boolean;
  patterns: CustomPattern[];
}

export interface JournalConfig {
  enabled: boolean;
  /** Aliases whose traffic is journaled; absent = every alias (keys can still opt in or out). */
  aliases?: string[];
  /** Directory of `journal.db`; absent = the gateway's data directory. */
  dataDir?: string;
  /** A conversation is removed this many days after its last exchange (a key may set its own). */
  retentionDays: number;
  redact: RedactionConfig;
  /** How long the end of a response may wait for its exchange to be committed. */
  maxWaitMs: number;
  /** Exchanges waiting to be written, at most; past either bound new ones are dropped and counted. */
  queueMaxEntries: number;
  queueMaxBytes: number;
  /** `journal.store` (issue #27): absent or 'sqlite' = journal.db in the data directory; 'postgres' = postgresUrl. */
  store?: 'sqlite' | 'postgres';
  postgresUrl?: string;
}

export const JOURNAL_DEFAULTS = {
  retentionDays: 30,
  maxWaitMs: 250,
  queueMaxEntries: 10_000,
  queueMaxBytes: 64 * 1024 * 1024,
} as const;

export { JOURNAL_DB_FILE } from '../storage/sqlite/sqlite-journal-store.js';

export function defaultRedaction(): RedactionConfig {
  return { email: true, phone: true, secrets: true, cards: true, patterns: [] };
}

/** Settings for an enabled journal with every default (tests, the demo). */
export function defaultJournalConfig(over: Partial<JournalConfig> = {}): JournalConfig {
  return { enabled: true, retentionDays: JOURNAL_DEFAULTS.retentionDays, redact: defaultRedaction(), maxWaitMs: JOURNAL_DEFAULTS.maxWaitMs, queueMaxEntries: JOURNAL_DEFAULTS.queueMaxEntries, queueMaxBytes: JOURNAL_DEFAULTS.queueMaxBytes, ...over };
}
