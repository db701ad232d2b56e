/**
 * `switchyard keys usage ID`: a key's live counters. They live in the running gateway's memory
 * (not in keys.db), so this asks its admin API: --url, else the configured host and port; the
 * admin key from SWITCHYARD_ADMIN_KEY, else guard.admin_key.
 */
import { ADMIN_KEY_ENV } from '../config/guard-schema.js';
import type { GatewayConfig } from '../config/types.js';
import type { CliIo } from './io.js';

const TIMEOUT_MS = 10_000;

interface UsageView {
  subject: string;
  requests: { used: number; limit: number | null; remaining: number | null; reset_ms: number };
  tokens: { used: number; limit: number | null; remaining: number | null; reset_ms: number };
  concurrent: { in_flight: number; limit: number | null };
  budget: { period: string; spent_usd: number; limit_usd: number; resets_at: string } | null;
}

function gatewayUrl(config: GatewayConfig | undefined): string {
  const host = config?.server.host ?? '127.0.0.1';
  // A gateway listening on every interface is reached on loopback from its own machine.
  const reach = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reach.includes(':') ? `[${reach}]` : reach}:${config?.server.port ?? 4000}`;
}

const field = (name: string) => `  ${`${name}:`.padEnd(11)}`;

function rate(what: string, r: UsageView['requests']): string {
  if (r.limit === null) return `${field(what)}${r.used} in the last minute (no limit)`;
  return `${field(what)}${r.used} of ${r.limit} per minute (${r.remaining} left${r.used > 0 ? `; all clear in ${Math.ceil(r.reset_ms / 1000)} s` : ''})`;
}

function lines(title: string, u: UsageView): string[] {
  const out = [title, rate('requests', u.requests), rate('tokens', u.tokens), `${field('in flight')}${u.concurrent.in_flight}${u.concurrent.limit === null ? '' : ` of ${u.concurrent.limit}`}`];
  if (u.budget) out.push(`${field('budget')}$${u.budget.spent_usd} of $${u.budget.limit_usd} this ${u.budget.period} (resets ${u.budget.resets_at})`);
  return out;
}

export async function printUsage(id: string, v: { url?: string | undefined; json?: boolean | undefined }, config: GatewayConfig | undefined, io: CliIo): Promise<number> {
  const base = (v.url ?? gatewayUrl(config)).replace(/\/+$/, '');
  const adminKey = io.env[ADMIN_KEY_ENV] || config?.guard?.adminKey;
  if (!adminKey) {
    io.stderr.write(`keys usage asks the running gateway's admin API: set ${ADMIN_KEY_ENV} (or guard.admin_key in --config).\n`);
    return 1;
  }
  let res: Response;
  try {
    res = await fetch(`${base}/admin/keys/${encodeURIComponent(id)}/usage`, { headers: { authorization: `Bearer ${adminKey}` }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    io.stderr.write(`Could not reach the gateway at ${base} (${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}). Is it running? Point at it with --url.\n`);
    return 1;
  }
  const body = (await res.json().catch(() => ({}))) as { error?: { message?: string }; key?: UsageView; team?: UsageView | null; scope?: string };
  if (!res.ok || !body.key) {
    io.stderr.write(`The gateway at ${base} answered ${res.status}: ${body.error?.message ?? 'no usage in the answer'}\n`);
    return 1;
  }
  if (v.json) {
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return 0;
  }
  const out = lines(`Key ${id} (${body.scope ?? 'this gateway instance'}):`, body.key);
  if (body.team) out.push(...lines(`Team ${body.team.subject.replace(/^team:/, '')}:`, body.team));
  io.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
