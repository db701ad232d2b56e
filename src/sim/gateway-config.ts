/**
 * A gateway configuration pointing at running simulated providers: used by the
 * demo, the tests and the benchmark so they all exercise the same routes.
 */
import type { GatewayConfig, ModelRoute } from '../config/types.js';
import type { ProviderConfig } from '../providers/types.js';
import { SIM_BASE_PATH, type SimKind } from './index.js';

/** Obvious fakes: the simulators accept any non-empty key. */
export const SIM_KEYS: Record<SimKind, string> = {
  openai: 'sk-sim-FAKE-openai-key-0000',
  anthropic: 'sk-ant-sim-FAKE-anthropic-key-0000',
  gemini: 'AIza-sim-FAKE-gemini-key-0000',
};

/** Upstream model ids the sim aliases point at. */
export const SIM_MODELS = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-3-5-haiku-latest',
  gemini: 'gemini-2.0-flash',
  openaiEmbed: 'text-embedding-3-small',
  geminiEmbed: 'text-embedding-004',
} as const;

export interface SimOrigins {
  openai?: string;
  anthropic?: string;
  gemini?: string;
}

/**
 * Providers `sim-openai`, `sim-compat` (openai-compatible on the OpenAI sim), `sim-anthropic`, `sim-gemini`;
 * aliases `chat` (openai -> anthropic -> gemini), `via-openai`, `via-compat`, `via-anthropic`, `via-gemini`
 * (one target each), `claude` (anthropic first), `gemini` (gemini first) and `embed`.
 */
export function simGatewayConfig(origins: SimOrigins, server: Partial<GatewayConfig['server']> = {}): GatewayConfig {
  const providers: ProviderConfig[] = [];
  const add = (name: string, type: ProviderConfig['type'], kind: SimKind, origin: string | undefined) => {
    if (origin) providers.push({ name, type, baseUrl: origin + SIM_BASE_PATH[kind], apiKey: SIM_KEYS[kind], headers: {}, query: {} });
  };
  add('sim-openai', 'openai', 'openai', origins.openai);
  add('sim-compat', 'openai-compatible', 'openai', origins.openai);
  add('sim-anthropic', 'anthropic', 'anthropic', origins.anthropic);
  add('sim-gemini', 'gemini', 'gemini', origins.gemini);
  const has = new Set(providers.map((p) => p.name));
  const t = (provider: string, model: string) => (has.has(provider) ? [{ provider, model }] : []);
  const oa = t('sim-openai', SIM_MODELS.openai);
  const an = t('sim-anthropic', SIM_MODELS.anthropic);
  const ge = t('sim-gemini', SIM_MODELS.gemini);
  const routes: ModelRoute[] = [
    { name: 'chat', targets: [...oa, ...an, ...ge] },
    { name: 'claude', targets: [...an, ...oa, ...ge] },
    { name: 'gemini', targets: [...ge, ...oa, ...an] },
    { name: 'via-openai', targets: oa },
    { name: 'via-compat', targets: t('sim-compat', SIM_MODELS.openai) },
    { name: 'via-anthropic', targets: an },
    { name: 'via-gemini', targets: ge },
    { name: 'embed', targets: [...t('sim-openai', SIM_MODELS.openaiEmbed), ...t('sim-gemini', SIM_MODELS.geminiEmbed)] },
  ];
  return {
    server: { host: '127.0.0.1', port: 0, maxBodyBytes: 10 * 1024 * 1024, ...server },
    providers,
    models: routes.filter((r) => r.targets.length > 0),
    source: 'simulators',
    notes: [],
  };
}
