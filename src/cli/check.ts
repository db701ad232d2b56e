/**
 * `switchyard check`: validate the configuration and show what the gateway
 * would do with it. Keys are shown only as `set` / `not set`.
 */
import { loadConfig } from '../config/load-config.js';
import type { GatewayConfig } from '../config/types.js';
import { upstreamModelId } from '../providers/registry.js';
import type { ProviderConfig } from '../providers/types.js';
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
    lines.push(`  ${p.name.padEnd(nameWidth)}  ${p.type.padEnd(typeWidth)}  ${p.baseUrl}  ${credentialsOf(p)}`);
    const extras: string[] = cloudDetails(p);
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
      // The cloud's own id where it differs (Bedrock and Vertex ids for Anthropic names, Azure deployments).
      const sent = p ? upstreamModelId(p, t.model) : t.model;
      lines.push(`    ${i + 1}. ${t.model}${sent === t.model ? '' : ` -> ${sent}`}  via ${t.provider}${p ? ` (${p.type}, ${p.baseUrl})` : ''}`);
    });
  }

  const warnings = warningsFor(config);
  if (warnings.length > 0) lines.push('', 'Warnings:', ...warnings.map((w) => `  - ${w}`));
  if (config.notes.length > 0) lines.push('', 'Notes:', ...config.notes.map((n) => `  - ${n}`));
  return lines.join('\n') + '\n';
}

/** Types that authenticate without an api_key: local servers, and clouds with their own credential chains. */
const NO_KEY_NEEDED = new Set<string>(['openai-compatible', 'bedrock', 'vertex-anthropic', 'vertex-gemini']);

/** Where a provider's credentials come from, never what they are. */
function credentialsOf(p: ProviderConfig): string {
  if (p.type === 'bedrock') {
    if (p.apiKey) return 'credentials: Bedrock API key (set)';
    if (p.awsKeys) return `credentials: keys in the configuration (set${p.awsKeys.sessionToken ? ', with session token' : ''})`;
    return p.profile ? `credentials: AWS profile ${p.profile}` : 'credentials: AWS credential chain (environment, then shared files)';
  }
  if (p.type === 'vertex-anthropic' || p.type === 'vertex-gemini') {
    if (p.apiKey) return 'credentials: fixed access token (set)';
    return p.credentialsFile ? `credentials: Google credentials file ${p.credentialsFile}` : 'credentials: Google application default credentials';
  }
  return `key: ${p.apiKey ? 'set' : 'not set'}`;
}

/** Region, project and the like: names and places only. */
function cloudDetails(p: ProviderConfig): string[] {
  const out: string[] = [];
  if (p.region) out.push(`region: ${p.region}`);
  if (p.project) out.push(`project: ${p.project}`);
  if (p.inferenceProfile) out.push(`inference profile: ${p.inferenceProfile}`);
  if (p.type === 'azure-openai') out.push(`api-version: ${p.apiVersion ?? 'default'}`);
  if (p.modelIds && Object.keys(p.modelIds).length > 0) out.push(`${p.type === 'azure-openai' ? 'deployments' : 'model ids'}: ${Object.keys(p.modelIds).length}`);
  return out;
}

/** Valid but probably not what was meant. */
function warningsFor(config: GatewayConfig): string[] {
  const out: string[] = [];
  const used = new Set(config.models.flatMap((m) => m.targets.map((t) => t.provider)));
  for (const p of config.providers) {
    // openai-compatible servers such as Ollama legitimately take no key.
    if (!p.apiKey && !NO_KEY_NEEDED.has(p.type)) out.push(`provider ${p.name} has no api_key: ${p.type} will answer 401`);
    if (!used.has(p.name)) out.push(`provider ${p.name} is not used by any model`);
  }
  return out;
}

function formatBytes(n: number): string {
  if (n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
