/**
 * The only file that lists provider types (DESIGN.md). Adding a provider is a
 * new file plus one line here.
 */
import { createAnthropicProvider } from './anthropic.js';
import { createGeminiProvider } from './gemini.js';
import { createOpenAIProvider } from './openai.js';
import type { Provider, ProviderConfig, ProviderDeps, ProviderType } from './types.js';

export const PROVIDER_TYPES = ['openai', 'openai-compatible', 'anthropic', 'gemini'] as const satisfies readonly ProviderType[];

const DEFAULT_BASE_URLS: Record<ProviderType, string | undefined> = {
  openai: 'https://api.openai.com/v1',
  // Any server at a base URL (Azure OpenAI, Perplexity, Ollama, vLLM...): the user must say where.
  'openai-compatible': undefined,
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com/v1beta',
};

const FACTORIES: Record<ProviderType, (c: ProviderConfig, deps: ProviderDeps) => Provider> = {
  openai: createOpenAIProvider,
  'openai-compatible': createOpenAIProvider,
  anthropic: createAnthropicProvider,
  gemini: createGeminiProvider,
};

export function defaultBaseUrl(type: ProviderType): string | undefined {
  return DEFAULT_BASE_URLS[type];
}

export function createProvider(config: ProviderConfig, deps: ProviderDeps): Provider {
  return FACTORIES[config.type](config, deps);
}
