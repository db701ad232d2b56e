/**
 * A gateway configuration pointing at running simulated providers: used by the
 * demo, the tests and the benchmark so they all exercise the same routes.
 */
import type { GatewayConfig, ModelRoute } from '../config/types.js';
import type { ProviderConfig } from '../providers/types.js';
import { SIM_AWS_CREDENTIALS } from './bedrock-wire.js';
import { SIM_BASE_PATH, type SimKind } from './index.js';

/**
 * Obvious fakes: the simulators accept any non-empty key, Vertex any `ya29.` token; Bedrock checks
 * SigV4 signatures made with AWS's documentation keys (SIM_AWS_CREDENTIALS), given in config.
 */
export const SIM_KEYS: Record<Exclude<SimKind, 'bedrock'>, string> = {
  openai: 'sk-sim-FAKE-openai-key-0000',
  anthropic: 'sk-ant-sim-FAKE-anthropic-key-0000',
  gemini: 'AIza-sim-FAKE-gemini-key-0000',
  'vertex-anthropic': 'ya29.sim-FAKE-vertex-token-0000',
  'vertex-gemini': 'ya29.sim-FAKE-vertex-token-0000',
  azure: 'azure-sim-FAKE-key-0000',
};

/** The same Claude model on Anthropic, Bedrock and Vertex: each cloud's own id is resolved from this name. */
export const SAME_MODEL = 'claude-sonnet-4-5';

/** Upstream model ids the sim aliases point at. */
export const SIM_MODELS = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-3-5-haiku-latest',
  gemini: 'gemini-2.0-flash',
  openaiEmbed: 'text-embedding-3-small',
  geminiEmbed: 'text-embedding-004',
} as const;

export type SimOrigins = Partial<Record<SimKind, string>>;

/** The provider each simulator plays in simGatewayConfig (the OpenAI sim also plays `sim-compat`). */
export const SIM_PROVIDER: Record<SimKind, string> = {
  openai: 'sim-openai',
  anthropic: 'sim-anthropic',
  gemini: 'sim-gemini',
  bedrock: 'sim-bedrock',
  'vertex-anthropic': 'sim-vertex',
  'vertex-gemini': 'sim-vertex-gemini',
  azure: 'sim-azure',
};

/**
 * Providers `sim-openai`, `sim-compat` (openai-compatible on the OpenAI sim), `sim-anthropic`, `sim-gemini`;
 * aliases `chat` (openai -> anthropic -> gemini), `via-openai`, `via-compat`, `via-anthropic`, `via-gemini`
 * (one target each), `claude` (anthropic first), `gemini` (gemini first) and `embed`. With the cloud
 * sims: providers `sim-bedrock`, `sim-vertex`, `sim-vertex-gemini`, `sim-azure`, aliases `via-bedrock`,
 * `via-vertex`, `via-vertex-gemini`, `via-azure`, and the same model on another cloud: `claude-sonnet-4-5`
 * (anthropic -> bedrock -> vertex) and `gpt-4o` (openai -> azure).
 */
export function simGatewayConfig(origins: SimOrigins, server: Partial<GatewayConfig['server']> = {}): GatewayConfig {
  const providers: ProviderConfig[] = [];
  const add = (name: string, type: ProviderConfig['type'], kind: SimKind, origin: string | undefined) => {
    if (origin) providers.push(simProvider(name, type, kind, origin));
  };
  add(SIM_PROVIDER.openai, 'openai', 'openai', origins.openai);
  add('sim-compat', 'openai-compatible', 'openai', origins.openai);
  add(SIM_PROVIDER.anthropic, 'anthropic', 'anthropic', origins.anthropic);
  add(SIM_PROVIDER.gemini, 'gemini', 'gemini', origins.gemini);
  add(SIM_PROVIDER.bedrock, 'bedrock', 'bedrock', origins.bedrock);
  add(SIM_PROVIDER['vertex-anthropic'], 'vertex-anthropic', 'vertex-anthropic', origins['vertex-anthropic']);
  add(SIM_PROVIDER['vertex-gemini'], 'vertex-gemini', 'vertex-gemini', origins['vertex-gemini']);
  add(SIM_PROVIDER.azure, 'azure-openai', 'azure', origins.azure);
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
    { name: 'via-bedrock', targets: t('sim-bedrock', SAME_MODEL) },
    { name: 'via-vertex', targets: t('sim-vertex', SAME_MODEL) },
    { name: 'via-vertex-gemini', targets: t('sim-vertex-gemini', SIM_MODELS.gemini) },
    { name: 'via-azure', targets: t('sim-azure', SIM_MODELS.openai) },
  ];
  // Same model, another cloud: when Anthropic's API fails, Claude on Bedrock, then on Vertex, answers (only with a cloud sim).
  if (has.has('sim-bedrock') || has.has('sim-vertex')) {
    routes.push({ name: SAME_MODEL, targets: [...t('sim-anthropic', SAME_MODEL), ...t('sim-bedrock', SAME_MODEL), ...t('sim-vertex', SAME_MODEL)] });
  }
  if (has.has('sim-azure')) routes.push({ name: 'gpt-4o', targets: [...t('sim-openai', 'gpt-4o'), ...t('sim-azure', 'gpt-4o')] });
  return {
    server: { host: '127.0.0.1', port: 0, maxBodyBytes: 10 * 1024 * 1024, ...server },
    providers,
    models: routes.filter((r) => r.targets.length > 0),
    source: 'simulators',
    notes: [],
  };
}

/** A provider of `type` pointing at a running simulator of `kind` at `origin`, with the credentials it accepts. */
export function simProvider(name: string, type: ProviderConfig['type'], kind: SimKind, origin: string): ProviderConfig {
  const where: Partial<ProviderConfig> =
    kind === 'bedrock' ? { region: 'us-east-1', awsKeys: SIM_AWS_CREDENTIALS }
    : kind === 'vertex-anthropic' || kind === 'vertex-gemini' ? { region: 'us-east5', project: 'sim-project', apiKey: SIM_KEYS[kind] }
    : { apiKey: SIM_KEYS[kind] };
  return { name, type, baseUrl: origin + SIM_BASE_PATH[kind], headers: {}, query: {}, ...where };
}
