/**
 * Zero-config start: with no switchyard.yaml, build providers and aliases from
 * the API keys already in the environment, so `OPENAI_API_KEY=... switchyard serve`
 * just works.
 *
 * Model ids were checked against the vendors' deprecation pages and SDKs:
 * claude-3-5-haiku was retired 2026-02-19 (replacement claude-haiku-4-5);
 * gemini-2.0-flash is past its shutdown date (replacement gemini-2.5-flash);
 * text-embedding-004 was shut down (replacement gemini-embedding-001).
 * Update this table, not the code, when vendors retire models.
 */
import { defaultBaseUrl } from '../providers/registry.js';
import type { ProviderConfig, ProviderType } from '../providers/types.js';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { checkGeminiBaseUrl } from './gemini-base-url.js';
import { DEFAULT_HOST, DEFAULT_MAX_BODY_BYTES, DEFAULT_PORT } from './parse-config.js';
import { isHttpUrl } from './schema.js';
import type { GatewayConfig, ModelRoute } from './types.js';

interface AutoProvider {
  name: string;
  type: ProviderType;
  /** Checked in order; the first non-empty one wins. */
  keyVars: string[];
  baseUrlVar: string;
  /** For types without a registry default. */
  baseUrl?: string;
  chat?: string;
  smart?: string;
  embed?: string;
}

export const AUTO_PROVIDERS: readonly AutoProvider[] = [
  { name: 'openai', type: 'openai', keyVars: ['OPENAI_API_KEY'], baseUrlVar: 'OPENAI_BASE_URL', chat: 'gpt-4o-mini', smart: 'gpt-4o', embed: 'text-embedding-3-small' },
  { name: 'anthropic', type: 'anthropic', keyVars: ['ANTHROPIC_API_KEY'], baseUrlVar: 'ANTHROPIC_BASE_URL', chat: 'claude-haiku-4-5', smart: 'claude-sonnet-4-5' },
  // Google's own SDKs prefer GOOGLE_API_KEY when both are set; we do the same.
  { name: 'gemini', type: 'gemini', keyVars: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'], baseUrlVar: 'GEMINI_BASE_URL', chat: 'gemini-2.5-flash', smart: 'gemini-2.5-pro', embed: 'gemini-embedding-001' },
  { name: 'perplexity', type: 'openai-compatible', keyVars: ['PERPLEXITY_API_KEY'], baseUrlVar: 'PERPLEXITY_BASE_URL', baseUrl: 'https://api.perplexity.ai', chat: 'sonar' },
];

export function autoConfigure(env: NodeJS.ProcessEnv): GatewayConfig {
  const providers: ProviderConfig[] = [];
  const notes: string[] = [];
  const issues: ConfigIssue[] = [];
  const found: AutoProvider[] = [];

  for (const ap of AUTO_PROVIDERS) {
    const keyVar = ap.keyVars.find((v) => (env[v] ?? '') !== '');
    if (keyVar === undefined) continue;
    const override = env[ap.baseUrlVar];
    let baseUrl = ap.baseUrl ?? defaultBaseUrl(ap.type) ?? '';
    if (override !== undefined && override !== '') {
      const trimmed = override.trim().replace(/\/+$/, '');
      if (!isHttpUrl(trimmed)) {
        issues.push({ path: ap.baseUrlVar, message: 'not a valid http(s) URL' });
        continue;
      }
      baseUrl = trimmed;
      if (ap.type === 'gemini') {
        const checked = checkGeminiBaseUrl(ap.name, baseUrl);
        baseUrl = checked.baseUrl;
        if (checked.note) notes.push(checked.note);
      }
    }
    providers.push({ name: ap.name, type: ap.type, baseUrl, apiKey: env[keyVar], headers: {}, query: {} });
    found.push(ap);
    const models = [ap.chat, ap.smart, ap.embed].filter((m): m is string => m !== undefined);
    const also = ap.keyVars.filter((v) => v !== keyVar && (env[v] ?? '') !== '');
    notes.push(
      `found ${keyVar}: provider ${ap.name} (${ap.type}) at ${baseUrl}` +
        (override ? ` (from ${ap.baseUrlVar})` : '') +
        `, models ${models.join(', ')}` +
        (also.length > 0 ? `; ${also.join(', ')} also set, using ${keyVar}` : ''),
    );
  }
  if (issues.length > 0) throw new ConfigError('environment', issues);

  const models: ModelRoute[] = [];
  const alias = (name: string, pick: (ap: AutoProvider) => string | undefined) => {
    const targets = found.flatMap((ap) => {
      const model = pick(ap);
      return model === undefined ? [] : [{ provider: ap.name, model }];
    });
    if (targets.length > 0 && !models.some((m) => m.name === name)) models.push({ name, targets });
  };
  alias('chat', (ap) => ap.chat);
  alias('smart', (ap) => ap.smart);
  alias('embed', (ap) => ap.embed);
  // Each vendor model id is also an alias for itself, so clients may ask for "gpt-4o" directly.
  for (const ap of found) {
    for (const id of [ap.chat, ap.smart, ap.embed]) {
      if (id !== undefined) alias(id, (p) => (p === ap ? id : undefined));
    }
  }

  if (found.length === 0) {
    notes.push(
      'no switchyard.yaml and no provider keys found in the environment ' +
        '(OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY or GOOGLE_API_KEY, PERPLEXITY_API_KEY): ' +
        'set a key, write a switchyard.yaml (see switchyard.example.yaml), ' +
        'or run `switchyard demo` to try the gateway with simulated providers',
    );
  }
  return {
    server: { host: DEFAULT_HOST, port: DEFAULT_PORT, maxBodyBytes: DEFAULT_MAX_BODY_BYTES },
    providers,
    models,
    source: 'environment',
    notes,
  };
}
