/**
 * Parsed YAML text -> GatewayConfig: interpolate env, validate shape (zod) and
 * cross-references, apply defaults, map snake_case to the resolved types.
 * Throws one ConfigError listing every problem.
 */
import { parseDocument } from 'yaml';
import type { core as zcore } from 'zod';
import { defaultBaseUrl } from '../providers/registry.js';
import type { ProviderConfig } from '../providers/types.js';
import { ConfigError, formatPath, redact, type ConfigIssue } from './config-error.js';
import { crossCheck } from './cross-check.js';
import { checkGeminiBaseUrl } from './gemini-base-url.js';
import { suggestion } from './did-you-mean.js';
import { interpolateTree } from './interpolate.js';
import { configSchema, KEYS, type RawConfig } from './schema.js';
import { ALERT_KEYS, alertSecrets, resolveAlerts } from './alerts-schema.js';
import { VENDOR_FEED_KEYS, resolveVendorFeeds } from './vendor-feeds-schema.js';
import { PROBE_KEYS, resolveStatusStore } from './status-store-schema.js';
import { ROUTING_KEYS, resolveRouting } from './routing-schema.js';
import { guardAllowedKeys, guardSecrets, resolveGuard } from './guard-schema.js';
import { CORS_KEYS, resolveServerHardening } from './server-hardening-schema.js';
import { checkJournalAliases, JOURNAL_KEYS, PATTERN_KEYS, REDACT_KEYS, resolveJournal } from './journal-schema.js';
import { cloudSecrets, resolveCloudFields } from './cloud-schema.js';
import { checkStorageUrls, resolveStorage, STORAGE_KEYS, storageSecrets } from './storage-schema.js';
import type { GatewayConfig, ServerConfig } from './types.js';
import { DRAIN_KEYS, METRICS_KEYS, resolveDrain, resolveMetrics, resolveTelemetry, TELEMETRY_KEYS } from './observability-schema.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 4000;
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

export function parseConfigText(text: string, source: string, env: NodeJS.ProcessEnv): GatewayConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    // Only the first: later YAML errors are usually cascades of the first.
    const line = yamlError.linePos?.[0];
    const srcLine = line ? (text.split(/\r?\n/)[line.line - 1] ?? '') : '';
    // `{ api_key: ${KEY} }` is the classic trap: in flow style `{` starts a mapping.
    const hint = /\{[^}]*\$\{/.test(srcLine) ? ' (inside { ... } quote values that contain ${...}, e.g. "${KEY}")' : '';
    throw new ConfigError(source, [
      {
        path: line ? `line ${line.line}, column ${line.col}` : '',
        message: `invalid YAML: ${yamlError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}${hint}`,
      },
    ]);
  }
  // An empty file is a valid, empty configuration.
  const tree: unknown = doc.toJS() ?? {};
  const interp = interpolateTree(tree, env);
  const secrets = [...collectSecrets(interp.value), ...alertSecrets(interp.value), ...guardSecrets(interp.value), ...storageSecrets(interp.value)];

  const issues: ConfigIssue[] = [...interp.issues];
  const parsed = configSchema.safeParse(interp.value);
  if (!parsed.success) {
    for (const iss of parsed.error.issues) {
      const issue = toIssue(iss);
      // A value whose ${VAR} failed is already reported; its "missing" echo would only confuse.
      if (!interp.failed.has(issue.path)) issues.push(issue);
    }
  }
  issues.push(...crossCheck(interp.value), ...checkJournalAliases(interp.value), ...checkStorageUrls(interp.value));
  if (issues.length > 0 || !parsed.success) {
    throw new ConfigError(
      source,
      issues.map((i) => ({ path: i.path, message: redact(i.message, secrets) })),
    );
  }
  return resolve(parsed.data, source, env);
}

function toIssue(iss: zcore.$ZodIssue): ConfigIssue {
  if (iss.code === 'unrecognized_keys') {
    const allowed = allowedKeys(iss.path);
    const [first, ...rest] = iss.keys;
    const path = formatPath([...iss.path, first ?? '']);
    const extra = rest.length > 0 ? ` (also unknown: ${rest.join(', ')})` : '';
    return { path, message: `unknown key${suggestion(first ?? '', allowed)}; allowed keys: ${allowed.join(', ')}${extra}` };
  }
  return { path: formatPath(iss.path), message: iss.message };
}

function allowedKeys(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return KEYS.root;
  if (path[0] === 'server') return path[1] === 'cors' ? CORS_KEYS : path[1] === 'drain' ? DRAIN_KEYS : KEYS.server;
  if (path[0] === 'metrics') return METRICS_KEYS;
  if (path[0] === 'telemetry') return TELEMETRY_KEYS;
  if (path[0] === 'guard') return guardAllowedKeys(path);
  if (path[0] === 'providers') return KEYS.provider;
  if (path[0] === 'routing' || (path[0] === 'models' && path[2] === 'routing')) return path.length <= (path[0] === 'routing' ? 1 : 3) ? ROUTING_KEYS : [];
  if (path[0] === 'models') return path.length > 2 ? KEYS.target : KEYS.model;
  if (path[0] === 'alerts') return ALERT_KEYS;
  if (path[0] === 'status' && path[1] === 'probes') return PROBE_KEYS;
  if (path[0] === 'status') return path.length > 2 ? VENDOR_FEED_KEYS : KEYS.status;
  if (path[0] === 'storage') return STORAGE_KEYS;
  if (path[0] === 'journal') return path[1] !== 'redact' ? JOURNAL_KEYS : path.length > 2 ? PATTERN_KEYS : REDACT_KEYS;
  return [];
}

/** api_key, header and query values: never echoed in messages. */
function collectSecrets(tree: unknown): string[] {
  const out: string[] = [];
  if (tree === null || typeof tree !== 'object') return out;
  const providers = (tree as { providers?: unknown }).providers;
  if (!Array.isArray(providers)) return out;
  for (const p of providers) {
    if (p === null || typeof p !== 'object') continue;
    const { api_key, headers, query } = p as Record<string, unknown>;
    if (typeof api_key === 'string') out.push(api_key);
    out.push(...cloudSecrets(p as Record<string, unknown>));
    for (const m of [headers, query]) {
      if (m !== null && typeof m === 'object') for (const v of Object.values(m)) if (typeof v === 'string') out.push(v);
    }
  }
  return out;
}

function resolve(raw: RawConfig, source: string, env: NodeJS.ProcessEnv): GatewayConfig {
  const server: ServerConfig = {
    host: raw.server?.host ?? DEFAULT_HOST,
    port: raw.server?.port ?? DEFAULT_PORT,
    maxBodyBytes: raw.server?.max_body_bytes ?? DEFAULT_MAX_BODY_BYTES,
    hardening: resolveServerHardening(raw.server),
  };
  if (raw.server?.public_url !== undefined) server.publicUrl = raw.server.public_url;
  if (raw.server?.playground === true) server.playground = true;
  if (raw.server?.drain) server.drain = resolveDrain(raw.server.drain);

  const notes: string[] = [];
  const providers: ProviderConfig[] = (raw.providers ?? []).map((p) => {
    let baseUrl = p.base_url;
    if (baseUrl !== undefined && p.type === 'gemini') {
      const checked = checkGeminiBaseUrl(p.name, baseUrl);
      baseUrl = checked.baseUrl;
      if (checked.note) notes.push(checked.note);
    }
    const out: ProviderConfig = {
      name: p.name,
      type: p.type,
      // cross-check guarantees one of the two exists.
      baseUrl: baseUrl ?? defaultBaseUrl(p.type, p) ?? '',
      headers: p.headers ?? {},
      query: p.query ?? {},
      ...resolveCloudFields(p),
    };
    // `api_key: ${KEY:-}` resolving to '' means "no key" (e.g. Ollama), not an empty credential.
    if (p.api_key !== undefined && p.api_key !== '') out.apiKey = p.api_key;
    if (p.auth_header !== undefined) out.authHeader = p.auth_header;
    return out;
  });

  const defaults = resolveRouting(raw.routing);
  const models = (raw.models ?? []).map((m) => ({
    name: m.name,
    targets: m.targets.map((t) => ({ provider: t.provider, model: t.model, ...(t.weight === undefined ? {} : { weight: t.weight }) })),
    // Without any routing: section the route keeps DEFAULT_POLICY (applied by the router).
    ...(raw.routing || m.routing ? { policy: resolveRouting(m.routing, defaults) } : {}),
  }));

  if (models.length === 0) notes.push('no models are defined: clients have nothing to ask for; add a `models:` list');
  const out: GatewayConfig = { server, providers, models, source, notes, guard: resolveGuard(raw, env) };
  const alerts = resolveAlerts(raw.alerts);
  if (alerts) out.alerts = alerts;
  const vendorFeeds = resolveVendorFeeds(raw.status?.vendor_feeds);
  if (vendorFeeds) out.vendorFeeds = vendorFeeds;
  const status = resolveStatusStore(raw.status);
  if (status) out.status = status;
  const journal = resolveJournal(raw.journal);
  if (journal) out.journal = journal;
  const storage = resolveStorage(raw.storage);
  if (storage) out.storage = storage;
  if (raw.metrics) out.metrics = resolveMetrics(raw.metrics);
  const telemetry = resolveTelemetry(raw.telemetry, env, notes);
  if (telemetry) out.telemetry = telemetry;
  return out;
}
