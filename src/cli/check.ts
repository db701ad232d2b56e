/**
 * `switchyard check`: validate the configuration and show what the gateway
 * would do with it. Keys are shown only as `set` / `not set`.
 */
import { loadConfig } from '../config/load-config.js';
import type { GatewayConfig } from '../config/types.js';
import { parseCommandArgs } from './args.js';
import type { CliIo } from './io.js';

export const CHECK_OPTIONS = {
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function runCheck(args: string[], io: CliIo): number {
  const values = parseCommandArgs('check', args, CHECK_OPTIONS);
  const config = loadConfig({ path: values.config, env: io.env, cwd: io.cwd });
  io.stdout.write(describeConfig(config));
  return 0;
}

/** Human-readable summary of a resolved config. Never includes key, header or query values. */
export function describeConfig(config: GatewayConfig): string {
  const lines: string[] = [];
  lines.push(`Configuration from ${config.source}: valid`);
  const s = config.server;
  lines.push('', `Server: http://${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}  (max body ${formatBytes(s.maxBodyBytes)})`);
  if (s.publicUrl) lines.push(`  public URL: ${s.publicUrl}`);

  lines.push('', `Providers (${config.providers.length}):`);
  const byName = new Map(config.providers.map((p) => [p.name, p]));
  const nameWidth = Math.max(0, ...config.providers.map((p) => p.name.length));
  const typeWidth = Math.max(0, ...config.providers.map((p) => p.type.length));
  for (const p of config.providers) {
    lines.push(`  ${p.name.padEnd(nameWidth)}  ${p.type.padEnd(typeWidth)}  ${p.baseUrl}  key: ${p.apiKey ? 'set' : 'not set'}`);
    const extras: string[] = [];
    // Names only: header values are often credentials themselves.
    if (Object.keys(p.headers).length > 0) extras.push(`headers: ${Object.keys(p.headers).join(', ')}`);
    if (Object.keys(p.query).length > 0) extras.push(`query: ${Object.keys(p.query).join(', ')}`);
    if (p.authHeader) extras.push(`key sent in: ${p.authHeader}`);
    if (extras.length > 0) lines.push(`  ${' '.repeat(nameWidth)}  ${extras.join('; ')}`);
  }

  lines.push('', `Models (${config.models.length}; what clients send as "model", targets tried in order):`);
  for (const m of config.models) {
    lines.push(`  ${m.name}`);
    m.targets.forEach((t, i) => {
      const p = byName.get(t.provider);
      lines.push(`    ${i + 1}. ${t.model}  via ${t.provider}${p ? ` (${p.type}, ${p.baseUrl})` : ''}`);
    });
  }

  const warnings = warningsFor(config);
  if (warnings.length > 0) lines.push('', 'Warnings:', ...warnings.map((w) => `  - ${w}`));
  if (config.notes.length > 0) lines.push('', 'Notes:', ...config.notes.map((n) => `  - ${n}`));
  return lines.join('\n') + '\n';
}

/** Valid but probably not what was meant. */
function warningsFor(config: GatewayConfig): string[] {
  const out: string[] = [];
  const used = new Set(config.models.flatMap((m) => m.targets.map((t) => t.provider)));
  for (const p of config.providers) {
    // openai-compatible servers such as Ollama legitimately take no key.
    if (!p.apiKey && p.type !== 'openai-compatible') out.push(`provider ${p.name} has no api_key: ${p.type} will answer 401`);
    if (!used.has(p.name)) out.push(`provider ${p.name} is not used by any model`);
  }
  return out;
}

function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
