/**
 * `switchyard keys create|list|show|revoke|rotate|usage`: virtual keys from the command line,
 * on the same SQLite key store (<data_dir>/keys.db) the gateway reads, through the same
 * KeyAdmin and validation as the admin API. A running gateway notices changes within
 * guard.key_refresh_ms. A created key is printed once; only its hash is kept. `usage` asks the
 * running gateway (its counters live in its memory) over the admin API.
 */
import { resolve } from 'node:path';
import { createSystemClock } from '../core/clock.js';
import { guardSettingsFor } from '../config/guard-schema.js';
import { loadConfig } from '../config/load-config.js';
import type { GatewayConfig } from '../config/types.js';
import { suggestion } from '../config/did-you-mean.js';
import { KeyAdmin, KeyAdminError } from '../guard/key-admin.js';
import { parseKeyCreate } from '../guard/key-input.js';
import { keyView } from '../guard/key-view.js';
import { DEFAULT_GUARD_SETTINGS, DEFAULT_KEYS_DIR, type GuardSettings } from '../guard/settings.js';
import type { StoredKey } from '../storage/key-store.js';
import { openKeyStore } from '../storage/open-key-store.js';
import { parseCommandArgs } from './args.js';
import { UsageError, type CliIo } from './io.js';
import { printUsage } from './keys-usage.js';

export const KEYS_SUBCOMMANDS = ['create', 'list', 'show', 'revoke', 'rotate', 'usage'] as const;

const COMMON = {
  config: { type: 'string', short: 'c' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const KEYS_CREATE_OPTIONS = {
  ...COMMON,
  name: { type: 'string', short: 'n' },
  team: { type: 'string' },
  owner: { type: 'string' },
  alias: { type: 'string', multiple: true },
  priority: { type: 'string' },
  expires: { type: 'string' },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
  concurrency: { type: 'string' },
  budget: { type: 'string' },
  'budget-period': { type: 'string' },
  meta: { type: 'string', multiple: true },
} as const;

const ROTATE_OPTIONS = { ...COMMON, 'grace-seconds': { type: 'string' } } as const;
const USAGE_OPTIONS = { ...COMMON, url: { type: 'string' } } as const;

/** Which flag wrote a field, for messages about the field. */
const FLAG_OF: Record<string, string> = {
  name: '--name', team: '--team', owner: '--owner', aliases: '--alias', priority: '--priority', expires_at: '--expires', metadata: '--meta',
  'limits.requests_per_minute': '--rpm', 'limits.tokens_per_minute': '--tpm', 'limits.concurrent_requests': '--concurrency',
  'limits.budget.usd': '--budget', 'limits.budget.period': '--budget-period', 'limits.budget': '--budget',
};

export async function runKeys(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const expected = `expected one of ${KEYS_SUBCOMMANDS.join(', ')}`;
  if (sub === undefined || sub.startsWith('-')) throw new UsageError(`switchyard keys: missing subcommand; ${expected}`, 'keys');
  if (!(KEYS_SUBCOMMANDS as readonly string[]).includes(sub)) throw new UsageError(`switchyard keys: unknown subcommand "${sub}"${suggestion(sub, KEYS_SUBCOMMANDS)}; ${expected}`, 'keys');
  if (sub === 'create') return create(rest, io);
  if (sub === 'list') return list(rest, io);
  const [id, ...flags] = rest;
  if (id === undefined || id.startsWith('-')) throw new UsageError(`switchyard keys ${sub}: missing key id (see switchyard keys list)`, 'keys');
  if (sub === 'rotate') return rotate(id, flags, io);
  if (sub === 'usage') {
    const v = parseCommandArgs('keys', flags, USAGE_OPTIONS);
    return printUsage(id, v, loadMaybe(v, io), io);
  }
  const values = parseCommandArgs('keys', flags, COMMON);
  return withAdmin(values, io, async (admin) => {
    const k = sub === 'show' ? await admin.get(id) : await admin.revoke(id);
    if (!k) return notFound(id, io);
    if (values.json) io.stdout.write(`${JSON.stringify(keyView(k, admin.now(), admin.effectiveLimits(k)), null, 2)}\n`);
    else if (sub === 'show') io.stdout.write(describe(k, admin));
    else io.stdout.write(`Revoked ${label(k)}. A running gateway refuses it within guard.key_refresh_ms (default 5 s).\n`);
    return 0;
  });
}

async function create(args: string[], io: CliIo): Promise<number> {
  const v = parseCommandArgs('keys', args, KEYS_CREATE_OPTIONS);
  if (v.name === undefined) throw new UsageError('switchyard keys create: --name is required (a label for the key, e.g. --name ci)', 'keys');
  const num = (s: string | undefined) => (s === undefined ? undefined : /^\s*\d+(\.\d+)?\s*$/.test(s) ? Number(s) : s);
  const limits: Record<string, unknown> = {};
  if (v.rpm !== undefined) limits.requests_per_minute = num(v.rpm);
  if (v.tpm !== undefined) limits.tokens_per_minute = num(v.tpm);
  if (v.concurrency !== undefined) limits.concurrent_requests = num(v.concurrency);
  if (v.budget !== undefined || v['budget-period'] !== undefined) limits.budget = { usd: num(v.budget), period: v['budget-period'] ?? 'month' };
  const metadata: Record<string, string> = {};
  for (const m of v.meta ?? []) {
    const eq = m.indexOf('=');
    if (eq < 1) throw new UsageError(`switchyard keys create: --meta "${m}": expected key=value`, 'keys');
    metadata[m.slice(0, eq)] = m.slice(eq + 1);
  }
  const body = {
    name: v.name,
    ...(v.team === undefined ? {} : { team: v.team }),
    ...(v.owner === undefined ? {} : { owner: v.owner }),
    ...(v.alias === undefined ? {} : { aliases: v.alias }),
    ...(v.priority === undefined ? {} : { priority: v.priority }),
    ...(v.expires === undefined ? {} : { expires_at: v.expires }),
    ...(v.meta === undefined ? {} : { metadata }),
    ...(Object.keys(limits).length === 0 ? {} : { limits }),
  };
  const input = parseKeyCreate(body);
  if (!input.ok) throw new UsageError(`switchyard keys create: ${FLAG_OF[input.param] ?? input.param}: ${input.message}`, 'keys');
  return withAdmin(v, io, async (admin, dir) => {
    const { key, secret } = await admin.create(input.value);
    if (v.json) {
      io.stdout.write(`${JSON.stringify({ ...keyView(key, admin.now(), admin.effectiveLimits(key)), key: secret }, null, 2)}\n`);
      return 0;
    }
    io.stdout.write(`Created ${label(key)} in ${dir}:\n\n  ${secret}\n\nStore this key now: it is shown only this once (Switchyard keeps only its hash).\n`);
    return 0;
  });
}

async function list(args: string[], io: CliIo): Promise<number> {
  const v = parseCommandArgs('keys', args, COMMON);
  return withAdmin(v, io, async (admin, dir) => {
    const keys = await admin.list();
    const now = admin.now();
    if (v.json) {
      io.stdout.write(`${JSON.stringify(keys.map((k) => keyView(k, now)), null, 2)}\n`);
      return 0;
    }
    if (keys.length === 0) {
      io.stdout.write(`No keys in ${dir}. Create one with: switchyard keys create --name NAME\n`);
      return 0;
    }
    const rows = keys.map((k) => [k.id, `${k.prefix}…`, keyView(k, now).status as string, k.name, k.team ?? '-', limitsText(admin.effectiveLimits(k))]);
    const head = ['ID', 'PREFIX', 'STATUS', 'NAME', 'TEAM', 'LIMITS'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const r of [head, ...rows]) io.stdout.write(`${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}\n`);
    return 0;
  });
}

async function rotate(id: string, args: string[], io: CliIo): Promise<number> {
  const v = parseCommandArgs('keys', args, ROTATE_OPTIONS);
  const g = v['grace-seconds'] ?? '3600';
  if (!/^\d+$/.test(g) || Number(g) > 30 * 86_400) throw new UsageError(`switchyard keys rotate: --grace-seconds "${g}": expected whole seconds from 0 to 2592000 (30 days)`, 'keys');
  return withAdmin(v, io, async (admin) => {
    const out = await admin.rotate(id, Number(g) * 1000);
    if (!out) return notFound(id, io);
    if (v.json) io.stdout.write(`${JSON.stringify({ ...keyView(out.key, admin.now()), key: out.secret }, null, 2)}\n`);
    else io.stdout.write(`Rotated ${label(out.key)}:\n\n  ${out.secret}\n\nStore this key now: it is shown only this once. The previous key (${out.key.previous ? `${out.key.previous.prefix}…` : 'none'}) ${Number(g) > 0 ? `works for ${g} more seconds` : 'stops at once'}.\n`);
    return 0;
  });
}

function loadMaybe(v: { config?: string | undefined; 'data-dir'?: string | undefined }, io: CliIo): GatewayConfig | undefined {
  // With --data-dir alone no configuration is needed (nor its environment variables).
  if (v['data-dir'] !== undefined && v.config === undefined) return undefined;
  return loadConfig({ path: v.config, env: io.env, cwd: io.cwd });
}

async function withAdmin(v: { config?: string | undefined; 'data-dir'?: string | undefined }, io: CliIo, fn: (admin: KeyAdmin, dir: string) => Promise<number>): Promise<number> {
  const config = loadMaybe(v, io);
  const settings: GuardSettings = config ? guardSettingsFor(config, io.env) : DEFAULT_GUARD_SETTINGS;
  const dir = resolve(io.cwd, v['data-dir'] ?? settings.dataDir ?? config?.status?.dataDir ?? DEFAULT_KEYS_DIR);
  const store = await openKeyStore({ kind: 'sqlite', dir });
  try {
    return await fn(new KeyAdmin(store, { clock: createSystemClock(), settings }), dir);
  } catch (e) {
    if (!(e instanceof KeyAdminError)) throw e;
    io.stderr.write(`${e.param ? `${FLAG_OF[e.param] ?? e.param}: ` : ''}${e.message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

function notFound(id: string, io: CliIo): number {
  io.stderr.write(`No key with id "${id}" (see switchyard keys list).\n`);
  return 1;
}

function label(k: StoredKey): string {
  return `key ${k.id} "${k.name}" (${k.prefix}…)${k.team ? ` of team ${k.team}` : ''}`;
}

function limitsText(l: ReturnType<KeyAdmin['effectiveLimits']>): string {
  const parts: string[] = [];
  if (l.requestsPerMinute !== undefined) parts.push(`${l.requestsPerMinute} rpm`);
  if (l.tokensPerMinute !== undefined) parts.push(`${l.tokensPerMinute} tpm`);
  if (l.concurrentRequests !== undefined) parts.push(`${l.concurrentRequests} at once`);
  if (l.budget) parts.push(`$${l.budget.micros / 1e6}/${l.budget.period}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function describe(k: StoredKey, admin: KeyAdmin): string {
  const v = keyView(k, admin.now());
  const lines = [
    `${k.id}  ${k.prefix}…  ${v.status as string}`,
    `  name:     ${k.name}`,
    `  team:     ${k.team ?? '-'}`,
    `  owner:    ${k.owner ?? '-'}`,
    `  aliases:  ${k.aliases ? k.aliases.join(', ') : 'all'}`,
    `  priority: ${k.priority ?? 'default'}`,
    `  expires:  ${(v.expires_at as string | null) ?? 'never'}`,
    `  limits:   ${limitsText(admin.effectiveLimits(k))}`,
    `  created:  ${v.created_at as string}`,
  ];
  if (Object.keys(k.metadata).length > 0) lines.push(`  metadata: ${Object.entries(k.metadata).map(([a, b]) => `${a}=${b}`).join(', ')}`);
  if (v.rotation) lines.push(`  rotation: previous key still valid until ${(v.rotation as { previous_valid_until: string }).previous_valid_until}`);
  return `${lines.join('\n')}\n`;
}
