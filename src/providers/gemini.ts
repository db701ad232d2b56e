/**
 * Google Gemini (generativelanguage v1beta). The model is part of the URL
 * (`/models/{model}:generateContent`, `:streamGenerateContent?alt=sse`,
 * `:batchEmbedContents`), not the body. The key goes in the `x-goog-api-key`
 * header, never in the `?key=` query the API also accepts, so it cannot leak
 * through URLs in logs, errors or traces.
 */
import { tell, type Sink } from '../core/sink.js';
import { gemini } from '../formats/gemini/index.js';
import { createStreamDecoder } from '../formats/gemini/stream-decoder.js';
import type { ChatRequest } from '../core/request.js';
import type { StreamEvent } from '../core/stream-event.js';
import { HttpProvider } from './http-provider.js';
import type { CallContext, ChatResult, Provider, ProviderConfig, StreamChunk, UpstreamStream } from './types.js';

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';

/** `models/gemini-2.0-flash` and `gemini-2.0-flash` name the same model; the URL wants the bare id after `/models/`. */
function modelPath(model: string): string {
  const id = model.startsWith('models/') ? model.slice('models/'.length) : model;
  // Keep `/` for tuned-model style ids but escape anything that would break the path.
  return id.split('/').map(encodeURIComponent).join('/');
}

/** Gemini may omit modelVersion; the decoders then leave '' and we name the model we asked for. */
function withModel(events: StreamEvent[], model: string): StreamEvent[] {
  return events.map((e) => (e.type === 'start' && e.model === '' ? { ...e, model } : e));
}

export class GeminiProvider extends HttpProvider {
  // A trailing `model` turn is continued by Gemini: mid-stream recovery uses it as prefill.
  readonly supportsPrefill = true;

  private readonly base: string;

  constructor(config: ProviderConfig) {
    // The stream decoder names this configured provider in the errors it raises.
    super(config, { ...gemini, createStreamDecoder: () => createStreamDecoder(config.name) });
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

  override async chat(req: ChatRequest, model: string, ctx: CallContext): Promise<ChatResult> {
    const result = await super.chat(req, model, ctx);
    if (result.response.model === '') result.response = { ...result.response, model };
    return result;
  }

  override async chatStream(req: ChatRequest, model: string, ctx: CallContext): Promise<UpstreamStream> {
    const inner = await super.chatStream(req, model, ctx);
    return {
      format: inner.format,
      cancel: () => inner.cancel(),
      async *[Symbol.asyncIterator](): AsyncIterator<StreamChunk> {
        let named = false;
        for await (const chunk of inner) {
          if (named) {
            yield chunk;
            continue;
          }
          named = chunk.events.some((e) => e.type === 'start');
          yield { raw: chunk.raw, events: withModel(chunk.events, model) };
        }
      },
    };
  }

  /** Through chatStream above, which names the model on the stream's events (the base's would skip it). */
  override openChatStream(req: ChatRequest, model: string, ctx: CallContext, to: Sink<UpstreamStream>): void {
    tell(this.chatStream(req, model, ctx), to);
  }
}

export function createGeminiProvider(config: ProviderConfig): Provider {
  return new GeminiProvider(config);
}
