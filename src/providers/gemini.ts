/**
 * Google Gemini (generativelanguage v1beta). The model is part of the URL
 * (`/models/{model}:generateContent`, `:streamGenerateContent?alt=sse`,
 * `:batchEmbedContents`), not the body. The key goes in the `x-goog-api-key`
 * header, never in the `?key=` query the API also accepts, so it cannot leak
 * through URLs in logs, errors or traces.
 */
import { gemini } from '../formats/gemini/index.js';
import { HttpProvider } from './http-provider.js';
import type { Provider, ProviderConfig, ProviderDeps } from './types.js';

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

/** `models/gemini-2.0-flash` and `gemini-2.0-flash` name the same model; the URL wants the bare id after `/models/`. */
function modelPath(model: string): string {
  const id = model.startsWith('models/') ? model.slice('models/'.length) : model;
  // Keep `/` for tuned-model style ids but escape anything that would break the path.
  return id.split('/').map(encodeURIComponent).join('/');
}

export class GeminiProvider extends HttpProvider {
  // A trailing `model` turn is continued by Gemini: mid-stream recovery uses it as prefill.
  readonly supportsPrefill = true;

  private readonly base: string;

  constructor(config: ProviderConfig, deps: ProviderDeps) {
    super(config, gemini, deps);
    this.base = (config.baseUrl || GEMINI_DEFAULT_BASE_URL).replace(/\/+$/, '');
  }

  protected chatUrl(model: string, stream: boolean): string {
    const url = `${this.base}/models/${modelPath(model)}`;
    return this.withQuery(stream ? `${url}:streamGenerateContent?alt=sse` : `${url}:generateContent`);
  }

  protected embeddingsUrl(model: string): string {
    return this.withQuery(`${this.base}/models/${modelPath(model)}:batchEmbedContents`);
  }

  protected authHeaders(): Record<string, string> {
    const key = this.config.apiKey;
    if (key === undefined || key === '') return {};
    const name = (this.config.authHeader ?? 'x-goog-api-key').toLowerCase();
    return { [name]: name === 'authorization' ? `Bearer ${key}` : key };
  }

  /** No Gemini ingress exists yet; if one does, the client's body is already a generateContent body minus URL-borne fields. */
  protected override passthroughText(): undefined {
    return undefined;
  }

  protected override passthroughBody(body: Record<string, unknown>): Record<string, unknown> {
    const { model: _model, stream: _stream, ...rest } = body;
    return rest;
  }
}

export function createGeminiProvider(config: ProviderConfig, deps: ProviderDeps): Provider {
  return new GeminiProvider(config, deps);
}
