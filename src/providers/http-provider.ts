/**
 * The shared shape of an HTTP provider: build URL, headers and body, send,
 * map errors through the format, decode. Concrete providers supply the URLs,
 * auth and quirks (DESIGN.md principle 4: quirks live in the provider's file).
 */
import { GatewayError } from '../core/errors.js';
import type { ChatRequest } from '../core/request.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../core/embedding.js';
import type { EgressFormat, EmbeddingEgress, FormatName } from '../formats/types.js';
import { postJson, readBody, readBodyText, type UpstreamResponse } from './http-client.js';
import { upstreamStream } from './upstream-stream.js';
import type { CallContext, ChatResult, Provider, ProviderConfig, ProviderType, UpstreamStream } from './types.js';

export abstract class HttpProvider implements Provider {
  readonly name: string;
  readonly type: ProviderType;

  constructor(
    protected readonly config: ProviderConfig,
    protected readonly egress: EgressFormat & Partial<EmbeddingEgress>,
  ) {
    this.name = config.name;
    this.type = config.type;
  }

  get format(): FormatName {
    return this.egress.name;
  }

  /** Absolute URL for a chat call to `model`. */
  protected abstract chatUrl(model: string, stream: boolean): string;
  /** Absolute URL for an embeddings call, or undefined when the provider has none. */
  protected abstract embeddingsUrl(model: string): string | undefined;
  /** Auth and provider-mandated headers (never logged). */
  protected abstract authHeaders(): Record<string, string>;

  /** Append configured query parameters (e.g. Azure api-version). */
  protected withQuery(url: string): string {
    const q = this.config.query;
    const keys = Object.keys(q);
    if (keys.length === 0) return url;
    const sep = url.includes('?') ? '&' : '?';
    return url + sep + keys.map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(q[k]!)}`).join('&');
  }

  /**
   * The upstream body. Same-format requests keep the client's own fields
   * (pass-through), with the target's model; others are encoded from canonical.
   */
  protected chatBody(req: ChatRequest, model: string, ctx: CallContext, stream: boolean): Record<string, unknown> {
    if (ctx.original && ctx.original.format === this.format) return this.passthroughBody(ctx.original.body, model, stream);
    return this.egress.encodeRequest({ ...req, stream }, model);
  }

  /** Pass-through body for a same-format client; providers override to adjust (e.g. Gemini has no model field). */
  protected passthroughBody(body: Record<string, unknown>, model: string, stream: boolean): Record<string, unknown> {
    return { ...body, model, stream };
  }

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', accept: 'application/json', ...this.config.headers, ...this.authHeaders() };
  }

  private async fail(res: UpstreamResponse): Promise<never> {
    const body = await readBodyText(res.body).catch(() => '');
    throw this.egress.decodeError({ status: res.status, header: res.header, body, provider: this.name });
  }

  async chat(req: ChatRequest, model: string, ctx: CallContext): Promise<ChatResult> {
    const body = JSON.stringify(this.chatBody(req, model, ctx, false));
    const res = await postJson(this.name, this.chatUrl(model, false), this.headers(), body, ctx.signal);
    if (res.status < 200 || res.status >= 300) return this.fail(res);
    const raw = await readBody(this.name, res.body, ctx.signal);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch (e) {
      throw new GatewayError({
        code: 'upstream_malformed',
        message: `${this.name} answered with a body that is not valid JSON.`,
        status: 502,
        kind: 'transient',
        provider: this.name,
        cause: e,
      });
    }
    return { response: this.egress.decodeResponse(json), raw, format: this.format };
  }

  async chatStream(req: ChatRequest, model: string, ctx: CallContext): Promise<UpstreamStream> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(ctx.signal.reason);
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
    const body = JSON.stringify(this.chatBody(req, model, ctx, true));
    const headers = { ...this.headers(), accept: 'text/event-stream' };
    const res = await postJson(this.name, this.chatUrl(model, true), headers, body, controller.signal);
    if (res.status < 200 || res.status >= 300) return this.fail(res);
    return upstreamStream(this.name, this.format, this.egress.createStreamDecoder(), res, controller);
  }

  async embed(req: EmbeddingRequest, model: string, ctx: CallContext): Promise<EmbeddingResponse> {
    const url = this.embeddingsUrl(model);
    const egress = this.egress;
    if (url === undefined || !egress.encodeEmbeddingRequest || !egress.decodeEmbeddingResponse) {
      throw new GatewayError({
        code: 'embeddings_unsupported',
        message: `Provider ${this.name} (${this.type}) has no embeddings API.`,
        status: 400,
        kind: 'client_error',
        param: 'model',
      });
    }
    const res = await postJson(this.name, url, this.headers(), JSON.stringify(egress.encodeEmbeddingRequest(req, model)), ctx.signal);
    if (res.status < 200 || res.status >= 300) return this.fail(res);
    const raw = await readBody(this.name, res.body, ctx.signal);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch (e) {
      throw new GatewayError({ code: 'upstream_malformed', message: `${this.name} answered embeddings with invalid JSON.`, status: 502, kind: 'transient', provider: this.name, cause: e });
    }
    return egress.decodeEmbeddingResponse(json, req);
  }
}
