/**
 * OpenAI and every OpenAI-compatible server (Azure OpenAI, Perplexity, Ollama,
 * vLLM, ...) as configuration on one base, not copies (DESIGN.md): POST
 * `${baseUrl}/chat/completions` and `${baseUrl}/embeddings`, baseUrl including
 * the version path like the openai SDK's baseURL (https://api.openai.com/v1).
 * Auth: `Authorization: Bearer <key>`, or the configured header with the bare key
 * (Azure OpenAI: `api-key`), or none when no key is configured (local Ollama).
 * Configured query parameters (Azure `api-version`) go on every URL.
 */
import { openaiChat } from '../formats/openai-chat/index.js';
import type { ChatRequest } from '../core/request.js';
import type { EgressFormat, EmbeddingEgress } from '../formats/types.js';
import { HttpProvider } from './http-provider.js';
import type { CallContext, Provider, ProviderConfig, ProviderDeps } from './types.js';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * Defense in depth beside the format's pattern-based scrub: a compatible server that
 * echoes our credential in an error body (in any shape) has that exact key removed
 * before the body is even decoded. Keys never reach clients or logs.
 */
function withoutKey(egress: EgressFormat & EmbeddingEgress, key: string | undefined): EgressFormat & EmbeddingEgress {
  if (key === undefined || key.length < 4) return egress;
  return { ...egress, decodeError: (input) => egress.decodeError({ ...input, body: input.body.split(key).join('[redacted]') }) };
}

export class OpenAIProvider extends HttpProvider {
  private readonly base: string;

  constructor(config: ProviderConfig, deps: ProviderDeps) {
    super(config, withoutKey(openaiChat, config.apiKey), deps);
    this.base = (config.baseUrl || OPENAI_DEFAULT_BASE_URL).replace(/\/+$/, '');
  }

  protected chatUrl(): string {
    return this.withQuery(`${this.base}/chat/completions`);
  }

  protected embeddingsUrl(): string {
    return this.withQuery(`${this.base}/embeddings`);
  }

  protected authHeaders(): Record<string, string> {
    const key = this.config.apiKey;
    if (key === undefined || key === '') return {};
    const name = (this.config.authHeader ?? 'authorization').toLowerCase();
    return { [name]: name === 'authorization' ? `Bearer ${key}` : key };
  }

  protected override chatBody(req: ChatRequest, model: string, ctx: CallContext, stream: boolean): Record<string, unknown> {
    const body = super.chatBody(req, model, ctx, stream);
    const passthrough = ctx.original !== undefined && ctx.original.format === this.format;
    // The format writes max_completion_tokens (what current OpenAI models require); compatible
    // servers (Ollama, older vLLM, Perplexity) document max_tokens, which is universally understood.
    if (!passthrough && this.type === 'openai-compatible' && body.max_completion_tokens !== undefined) {
      body.max_tokens = body.max_completion_tokens;
      delete body.max_completion_tokens;
    }
    return body;
  }

  /**
   * Same-format clients keep their own body (logit_bias, logprobs, metadata, ...), with the
   * target's model and `stream` matching the call. Their stream_options stay when streaming (so
   * forwarded frames are exactly what they asked for) and go when not: OpenAI answers 400 to
   * stream_options without stream.
   */
  protected override passthroughText(body: Record<string, unknown>, text: string, model: string, stream: boolean): string | undefined {
    return !stream && body.stream_options !== undefined ? undefined : super.passthroughText(body, text, model, stream);
  }

  protected override passthroughBody(body: Record<string, unknown>, model: string, stream: boolean): Record<string, unknown> {
    const out: Record<string, unknown> = { ...body, model, stream };
    if (!stream) delete out.stream_options;
    return out;
  }
}

export function createOpenAIProvider(config: ProviderConfig, deps: ProviderDeps): Provider {
  return new OpenAIProvider(config, deps);
}
