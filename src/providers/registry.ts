/**
 * The only file that lists provider types (DESIGN.md). Adding a provider is a
 * new file plus one line here.
 */
import { createAnthropicProvider } from './anthropic.js';
import { azureBaseUrl, createAzureOpenAIProvider } from './azure-openai.js';
import { bedrockBaseUrl, createBedrockProvider } from './bedrock/bedrock-provider.js';
import { bedrockModelId, vertexClaudeModelId } from './claude-model-ids.js';
import { createGeminiProvider } from './gemini.js';
import { createOpenAIProvider } from './openai.js';
import type { Provider, ProviderConfig, ProviderDeps, ProviderType } from './types.js';
import { createVertexAnthropicProvider } from './vertex/vertex-anthropic.js';
import { createVertexGeminiProvider } from './vertex/vertex-gemini.js';
import { vertexBaseUrl } from './vertex/vertex-url.js';

export const PROVIDER_TYPES = ['openai', 'openai-compatible', 'anthropic', 'gemini', 'bedrock', 'vertex-anthropic', 'vertex-gemini', 'azure-openai'] as const satisfies readonly ProviderType[];

/** Where a cloud provider is, from its region or resource. */
type Where = Pick<ProviderConfig, 'region' | 'resource'>;

const DEFAULT_BASE_URLS: Record<ProviderType, (w: Where) => string | undefined> = {
  openai: () => 'https://api.openai.com/v1',
  // Any server at a base URL (Perplexity, Ollama, vLLM...): the user must say where.
  'openai-compatible': () => undefined,
  anthropic: () => 'https://api.anthropic.com',
  gemini: () => 'https://generativelanguage.googleapis.com/v1beta',
  bedrock: (w) => (w.region ? bedrockBaseUrl(w.region) : undefined),
  'vertex-anthropic': (w) => (w.region ? vertexBaseUrl(w.region) : undefined),
  'vertex-gemini': (w) => (w.region ? vertexBaseUrl(w.region) : undefined),
  'azure-openai': (w) => (w.resource ? azureBaseUrl(w.resource) : undefined),
};

const FACTORIES: Record<ProviderType, (c: ProviderConfig, deps: ProviderDeps) => Provider> = {
  openai: createOpenAIProvider,
  'openai-compatible': createOpenAIProvider,
  anthropic: createAnthropicProvider,
  gemini: createGeminiProvider,
  bedrock: createBedrockProvider,
  'vertex-anthropic': createVertexAnthropicProvider,
  'vertex-gemini': createVertexGeminiProvider,
  'azure-openai': createAzureOpenAIProvider,
};

/** The id a type sends upstream for a target's model, where it differs from the model as written. */
const UPSTREAM_MODEL_IDS: Partial<Record<ProviderType, (c: ProviderConfig, model: string) => string>> = {
  bedrock: (c, m) => bedrockModelId(m, { region: c.region, inferenceProfile: c.inferenceProfile, ids: c.modelIds }),
  'vertex-anthropic': (c, m) => vertexClaudeModelId(m, c.modelIds),
  'vertex-gemini': (c, m) => c.modelIds?.[m] ?? m,
  'azure-openai': (c, m) => c.modelIds?.[m] ?? m,
};

export function defaultBaseUrl(type: ProviderType, where: Where = {}): string | undefined {
  return DEFAULT_BASE_URLS[type](where);
}

export function createProvider(config: ProviderConfig, deps: ProviderDeps): Provider {
  return FACTORIES[config.type](config, deps);
}

/** What `config` sends upstream for `model` (Bedrock and Vertex ids for Anthropic names, Azure deployments): `switchyard check` shows it. */
export function upstreamModelId(config: ProviderConfig, model: string): string {
  return UPSTREAM_MODEL_IDS[config.type]?.(config, model) ?? model;
}
