/**
 * Azure OpenAI as a first-class type (`type: azure-openai`): OpenAI's Chat Completions and
 * embeddings served by Microsoft from a resource's deployments, at
 * `https://{resource}.openai.azure.com/openai/deployments/{deployment}/chat/completions?api-version=…`
 * (Azure OpenAI "REST API reference"). A target's model is looked up in `deployments` (model name
 * -> deployment name), else used as the deployment name. The key goes in the `api-key` header; an
 * Entra ID access token goes as `Authorization: Bearer` with `auth_header: authorization`.
 * Everything else (bodies, streams with their content-filter annotations, the `content_filter`
 * 400, Retry-After) is OpenAI's format, on the OpenAI provider.
 */
import { OpenAIProvider } from './openai.js';
import type { Provider, ProviderConfig, ProviderDeps } from './types.js';

/** The latest generally available data-plane version (Azure OpenAI "API version lifecycle"). */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

export function azureBaseUrl(resource: string): string {
  return `https://${resource}.openai.azure.com/openai`;
}

class AzureOpenAIProvider extends OpenAIProvider {
  private readonly azureBase: string;

  constructor(config: ProviderConfig, deps: ProviderDeps) {
    super({
      ...config,
      authHeader: config.authHeader ?? 'api-key',
      query: { 'api-version': config.apiVersion ?? AZURE_DEFAULT_API_VERSION, ...config.query },
    }, deps);
    this.azureBase = (config.baseUrl || azureBaseUrl(config.resource ?? '')).replace(/\/+$/, '');
  }

  private deployment(model: string): string {
    return encodeURIComponent(this.config.modelIds?.[model] ?? model);
  }

  // The base declares no parameter; the model is always given (HttpProvider.url).
  protected override chatUrl(model = ''): string {
    return this.withQuery(`${this.azureBase}/deployments/${this.deployment(model)}/chat/completions`);
  }

  protected override embeddingsUrl(model = ''): string {
    return this.withQuery(`${this.azureBase}/deployments/${this.deployment(model)}/embeddings`);
  }
}

export function createAzureOpenAIProvider(config: ProviderConfig, deps: ProviderDeps): Provider {
  return new AzureOpenAIProvider(config, deps);
}
