/**
 * Anthropic: the Messages API at `${baseUrl}/v1/messages`. baseUrl has no /v1,
 * like the Anthropic SDK's baseURL (default https://api.anthropic.com).
 * Auth is the `x-api-key` header plus the mandatory `anthropic-version`.
 * Anthropic has no embeddings API.
 */
import { anthropicMessages } from '../formats/anthropic-messages/index.js';
import { HttpProvider } from './http-provider.js';
import type { Provider, ProviderConfig } from './types.js';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
/** The API version this gateway's format was written against (Anthropic "Versions" reference). */
export const ANTHROPIC_VERSION = '2023-06-01';

class AnthropicProvider extends HttpProvider {
  // Anthropic continues a trailing assistant message (prefill): mid-stream recovery uses it.
  readonly supportsPrefill = true;

  private readonly base: string;

  constructor(config: ProviderConfig) {
    super(config, anthropicMessages);
    this.base = (config.baseUrl || ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, '');
  }

  protected chatUrl(): string {
    return this.withQuery(`${this.base}/v1/messages`);
  }

  protected embeddingsUrl(): string | undefined {
    return undefined;
  }

  protected authHeaders(): Record<string, string> {
    const headers: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION };
    const key = this.config.apiKey;
    if (key !== undefined && key !== '') {
      const name = (this.config.authHeader ?? 'x-api-key').toLowerCase();
      headers[name] = name === 'authorization' ? `Bearer ${key}` : key;
    }
    return headers;
  }

  // passthroughBody: the base class keeps the client's body (cache_control, top_k, ...) and sets model and stream.
}

export function createAnthropicProvider(config: ProviderConfig): Provider {
  return new AnthropicProvider(config);
}
