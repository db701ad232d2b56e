/**
 * Gemini on Google Vertex AI (`type: vertex-gemini`): the same generateContent format as the
 * Gemini API (gemini.ts), at `…/projects/{project}/locations/{region}/publishers/google/models/
 * {model}:generateContent` and `:streamGenerateContent?alt=sse` (Vertex AI REST reference,
 * projects.locations.publishers.models), with a Google OAuth bearer token instead of an API key.
 * Vertex's embeddings are a different API (`:predict`): not offered here.
 */
import { GatewayError } from '../../core/errors.js';
import { GeminiProvider } from '../gemini.js';
import type { Exchange } from '../http-exchange.js';
import type { OutgoingRequest } from '../outgoing-request.js';
import type { Provider, ProviderConfig, ProviderDeps } from '../types.js';
import { VertexAuth } from './vertex-auth.js';
import { vertexBaseUrl, vertexModelUrl } from './vertex-url.js';

class VertexGeminiProvider extends GeminiProvider {
  private readonly vertexBase: string;
  private readonly auth: VertexAuth;

  constructor(config: ProviderConfig, deps: ProviderDeps) {
    super(config, deps);
    this.vertexBase = (config.baseUrl || vertexBaseUrl(config.region ?? '')).replace(/\/+$/, '');
    this.auth = new VertexAuth(config, deps);
  }

  protected override chatUrl(model: string, stream: boolean): string {
    const url = vertexModelUrl(this.vertexBase, this.config.project ?? '', this.config.region ?? '', 'google', this.config.modelIds?.[model] ?? model);
    return this.withQuery(stream ? `${url}:streamGenerateContent?alt=sse` : `${url}:generateContent`);
  }

  protected override embeddingsUrl(): string {
    // Never called: embed() below refuses first. The base class's contract wants a string here.
    return '';
  }

  protected override authHeaders(): Record<string, string> {
    return {};
  }

  protected override requestHeaders(req: OutgoingRequest): Promise<Record<string, string>> {
    return this.auth.headers(req);
  }

  override embed(): Promise<never> {
    return Promise.reject(embeddingsUnsupported(this.name));
  }

  protected override answerError(res: Exchange, body: string): GatewayError {
    const e = super.answerError(res, body);
    if (e.kind === 'auth') this.auth.rejected();
    return e;
  }
}

function embeddingsUnsupported(provider: string): GatewayError {
  return new GatewayError({
    code: 'embeddings_unsupported',
    message: `Provider ${provider} (vertex-gemini) has no embeddings API in Switchyard yet; use a gemini or openai target for embeddings.`,
    status: 400,
    kind: 'client_error',
    param: 'model',
  });
}

export function createVertexGeminiProvider(config: ProviderConfig, deps: ProviderDeps): Provider {
  return new VertexGeminiProvider(config, deps);
}
