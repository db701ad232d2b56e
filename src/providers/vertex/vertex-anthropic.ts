/**
 * Claude on Google Vertex AI (`type: vertex-anthropic`): the Anthropic Messages body in Vertex's
 * envelope (`anthropic_version: vertex-2023-10-16`, no model, `stream: true` when streaming) at
 * `…/projects/{project}/locations/{region}/publishers/anthropic/models/{model}:rawPredict` and
 * `:streamRawPredict` (Vertex AI "Use Anthropic's Claude models"; the Anthropic SDK's
 * vertex-sdk). The stream is Anthropic's own SSE, so an Anthropic client's bytes pass through
 * both ways. Auth: a Google OAuth bearer token (vertex-auth.ts).
 */
import type { GatewayError } from '../../core/errors.js';
import { anthropicMessages } from '../../formats/anthropic-messages/index.js';
import type { EgressFormat } from '../../formats/types.js';
import { envelopeBody, envelopeText, type Envelope } from '../anthropic-envelope.js';
import { vertexClaudeModelId } from '../claude-model-ids.js';
import type { Exchange } from '../http-exchange.js';
import { HttpProvider } from '../http-provider.js';
import type { OutgoingRequest } from '../outgoing-request.js';
import type { Provider, ProviderConfig, ProviderDeps } from '../types.js';
import { VertexAuth } from './vertex-auth.js';
import { decodeVertexClaudeError } from './vertex-errors.js';
import { vertexBaseUrl, vertexModelUrl } from './vertex-url.js';

export const VERTEX_ENVELOPE: Envelope = { version: 'vertex-2023-10-16', streamInBody: true };

const vertexClaudeEgress: EgressFormat = {
  ...anthropicMessages,
  encodeRequest: (req, model) => envelopeBody(anthropicMessages.encodeRequest(req, model), VERTEX_ENVELOPE, req.stream),
  decodeError: decodeVertexClaudeError,
};

class VertexAnthropicProvider extends HttpProvider {
  readonly supportsPrefill = true;

  private readonly base: string;
  private readonly auth: VertexAuth;

  constructor(config: ProviderConfig, deps: ProviderDeps) {
    super(config, vertexClaudeEgress, deps);
    this.base = (config.baseUrl || vertexBaseUrl(config.region ?? '')).replace(/\/+$/, '');
    this.auth = new VertexAuth(config, deps);
  }

  protected chatUrl(model: string, stream: boolean): string {
    const url = vertexModelUrl(this.base, this.config.project ?? '', this.config.region ?? '', 'anthropic', vertexClaudeModelId(model, this.config.modelIds));
    return this.withQuery(`${url}:${stream ? 'streamRawPredict' : 'rawPredict'}`);
  }

  protected embeddingsUrl(): undefined {
    return undefined;
  }

  protected authHeaders(): Record<string, string> {
    return {};
  }

  protected override requestHeaders(req: OutgoingRequest): Promise<Record<string, string>> {
    return this.auth.headers(req);
  }

  protected override passthroughText(_body: Record<string, unknown>, text: string, _model: string, stream: boolean): string | undefined {
    return envelopeText(text, VERTEX_ENVELOPE, stream);
  }

  protected override passthroughBody(body: Record<string, unknown>, _model: string, stream: boolean): Record<string, unknown> {
    return envelopeBody(body, VERTEX_ENVELOPE, stream);
  }

  protected override answerError(res: Exchange, body: string): GatewayError {
    const e = super.answerError(res, body);
    if (e.kind === 'auth') this.auth.rejected();
    return e;
  }
}

export function createVertexAnthropicProvider(config: ProviderConfig, deps: ProviderDeps): Provider {
  return new VertexAnthropicProvider(config, deps);
}
