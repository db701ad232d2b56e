/**
 * The shared shape of an HTTP provider: build URL, headers and body, send,
 * map errors through the format, decode. Concrete providers supply the URLs,
 * auth and quirks (DESIGN.md principle 4: quirks live in the provider's file).
 */
import { toPromise, type Sink } from '../core/sink.js';
import { gatewayError, GatewayError, isStackOverflow, nestedTooDeeply } from '../core/errors.js';
import { replaceTopLevelString } from '../core/json-splice.js';
import type { ChatRequest } from '../core/request.js';
import type { ChatResponse } from '../core/response.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../core/embedding.js';
import type { DecodeContext, EgressFormat, EmbeddingEgress, FormatName, StreamDecoder } from '../formats/types.js';
import { cutError } from './http-client.js';
import { asIs, endpoint, exchange, type Endpoint, type Exchange } from './http-exchange.js';
import { PushStream } from './upstream-stream.js';
import type { CallContext, ChatResult, Provider, ProviderConfig, ProviderDeps, ProviderType, UpstreamStream } from './types.js';
import type { ByteTranscoder } from './body-source.js';
import type { OutgoingRequest } from './outgoing-request.js';
import { TranscodedBody } from './transcoded-body.js';

/**
 * The most a whole answer may be: far beyond any real one (a chat answer of 128k output tokens is
 * under 1 MiB; 2,048 embeddings of 3,072 floats in JSON about 120 MiB), so only a broken upstream
 * reaches it, and it cannot fill the gateway's memory.
 */
const MAX_CHAT_ANSWER_BYTES = 64 * 1048576;
const MAX_EMBEDDINGS_ANSWER_BYTES = 512 * 1048576;

export abstract class HttpProvider implements Provider {
  readonly name: string;
  readonly type: ProviderType;

  constructor(
    protected readonly config: ProviderConfig,
    protected readonly egress: EgressFormat & Partial<EmbeddingEgress>,
    protected readonly deps: ProviderDeps,
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

  /**
   * Headers made per request from the request itself: AWS SigV4 signs method, URL, headers and
   * body; Google OAuth adds a token refreshed before it expires. Returns every header to send;
   * rejects with a GatewayError (nothing was sent). Absent (the default), the static headers go
   * as they are and nothing is awaited.
   */
  protected requestHeaders?(req: OutgoingRequest): Promise<Record<string, string>>;

  /** For a stream body that is not SSE on the wire (Bedrock's AWS event-stream): one transcoder per stream. */
  protected streamTranscoder?(): ByteTranscoder;

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
    try {
      return this.egress.encodeRequest({ ...req, stream }, model);
    } catch (e) {
      // This target can't represent the request; nothing was sent, so another target may still take it.
      if (e instanceof GatewayError && e.kind === 'client_error') throw gatewayError(e.code, e.message, { ...e, provider: this.name, notSent: true });
      throw e;
    }
  }

  /**
   * The upstream body as text. A same-format client's own text is sent with only
   * its model replaced when that is exact (see passthroughText); otherwise the
   * body object is serialised.
   */
  private chatText(req: ChatRequest, model: string, ctx: CallContext, stream: boolean): string {
    const o = ctx.original;
    if (o?.text !== undefined && o.format === this.format) {
      const text = this.passthroughText(o.body, o.text, model, stream);
      if (text !== undefined) return text;
    }
    try {
      return JSON.stringify(this.chatBody(req, model, ctx, stream));
    } catch (e) {
      if (isStackOverflow(e)) throw nestedTooDeeply(this.name);
      throw e;
    }
  }

  /**
   * The client's text with the target's model, when it says exactly what
   * passthroughBody would: the client asked for this `stream` mode (the text is
   * not changed otherwise). Undefined: serialise passthroughBody instead.
   * Providers whose pass-through body differs in more than the model override.
   */
  protected passthroughText(body: Record<string, unknown>, text: string, model: string, stream: boolean): string | undefined {
    if ((body.stream === true) !== stream) return undefined;
    return replaceTopLevelString(text, 'model', model);
  }

  /** Pass-through body for a same-format client; providers override to adjust (e.g. Gemini has no model field). */
  protected passthroughBody(body: Record<string, unknown>, model: string, stream: boolean): Record<string, unknown> {
    return { ...body, model, stream };
  }

  private jsonHeaders: Record<string, string> | undefined;
  private sseHeaders: Record<string, string> | undefined;

  /** Static per provider: built once (never logged: they carry the key). */
  private headers(stream = false): Record<string, string> {
    this.jsonHeaders ??= { 'content-type': 'application/json', accept: 'application/json', ...this.config.headers, ...this.authHeaders() };
    if (!stream) return this.jsonHeaders;
    this.sseHeaders ??= { ...this.jsonHeaders, accept: 'text/event-stream' };
    return this.sseHeaders;
  }

  private async fail(res: Exchange): Promise<never> {
    const body = (await res.body(64 * 1024).catch(() => Buffer.alloc(0))).toString('utf8');
    throw this.answerError(res, body);
  }

  /**
   * A non-2xx answer as a typed error. A redirect is not the client's to follow (its location is
   * the provider's, and may carry a key): it is the target's failure, a 502, and the next target
   * answers. It usually means a base_url that is not the API's (http for https, a missing /v1).
   */
  protected answerError(res: Exchange, body: string): GatewayError {
    if (res.status >= 300 && res.status < 400) {
      return gatewayError('upstream_redirect', `${this.name} answered HTTP ${res.status} (a redirect), which Switchyard does not follow: check the provider's base_url.`, { provider: this.name, upstreamStatus: res.status });
    }
    return this.egress.decodeError({ status: res.status, header: (n) => res.header(n), body, provider: this.name });
  }

  /** The whole body, up to `max` bytes; a connection lost midway is a cut answer. */
  private readAll(res: Exchange, max: number): Promise<Buffer> {
    return res.bodyAtMost(max).then(undefined, (e: unknown) => {
      throw cutError(this.name, e, 'response');
    });
  }

  chat(req: ChatRequest, model: string, ctx: CallContext, to: Sink<ChatResult>): void {
    this.send(req, model, ctx, false, this.toResult, to);
  }

  stream(req: ChatRequest, model: string, ctx: CallContext, to: Sink<UpstreamStream>): void {
    this.send(req, model, ctx, true, this.toStream, to);
  }

  /**
   * A chat call: `head` turns the answer into the result once its headers are in.
   */
  private send<T>(req: ChatRequest, model: string, ctx: CallContext, stream: boolean, head: (res: Exchange, call: Call) => T | Promise<T>, to: Sink<T>): void {
    let body: string;
    try {
      body = this.chatText(req, model, ctx, stream);
    } catch (e) {
      return to.failed(e);
    }
    const call = new Call(this.name, model, ctx.original?.format === this.format);
    const headers = ctx.traceparent === undefined ? this.headers(stream) : { ...this.headers(stream), traceparent: ctx.traceparent };
    if (!this.requestHeaders) return exchange(this.chatEndpoint(model, stream), 'POST', headers, body, ctx.signal, head, call, to);
    // Headers made per request (a signature, a fresh token): the exchange goes out once they are.
    this.requestHeaders({ method: 'POST', url: this.chatUrl(model, stream), headers, body }).then(
      (headers) => {
        try {
          exchange(this.chatEndpoint(model, stream), 'POST', headers, body, ctx.signal, head, call, to);
        } catch (e) {
          to.failed(e);
        }
      },
      (e: unknown) => to.failed(e),
    );
  }

  /** An answer's headers are in: read its body into a result, or its error. */
  private readonly toResult = (res: Exchange, call: Call): Promise<ChatResult> =>
    res.status < 200 || res.status >= 300 ? this.fail(res) : this.readAll(res, MAX_CHAT_ANSWER_BYTES).then((raw) => this.result(raw, call));

  private result(raw: Buffer, call: Call): ChatResult {
    if (call.passthrough) {
      // Same format: the client gets these bytes as they are. Check the shape here; decode only if asked.
      if (!looksLikeJsonObject(raw)) throw this.malformed(raw);
      return new LazyResult(raw, this.format, this, call);
    }
    return { response: this.decode(raw, call), raw, format: this.format };
  }

  /** @internal an answer's bytes as the canonical response (LazyResult asks on first use). */
  decode(raw: Buffer, at: DecodeContext): ChatResponse {
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch (e) {
      throw this.malformed(raw, e);
    }
    return this.egress.decodeResponse(json, at);
  }

  /** A 2xx answer that is not JSON: an empty body, an HTML page (a login or error page from something in front of the API), or broken JSON. */
  private malformed(raw: Buffer, cause?: unknown): GatewayError {
    const what = raw.length === 0 ? 'an empty body' : raw[0] === 0x3c ? 'an HTML page' : 'a body that is not valid JSON';
    return gatewayError('upstream_malformed', `${this.name} answered with ${what}, not the JSON answer it was asked for.`, { provider: this.name, ...(cause === undefined ? {} : { cause }) });
  }

  /** An answer's headers are in: its body as a stream, or its error. */
  private readonly toStream = (res: Exchange, call: Call): UpstreamStream | Promise<never> =>
    res.status < 200 || res.status >= 300
      ? this.fail(res)
      : new PushStream(call, this.format, this.decoders, this.streamTranscoder ? new TranscodedBody(res, this.streamTranscoder()) : res, this.deps.buffers, call.passthrough);

  /** This provider's stream decoders (one per stream, and one per replay of a stream's bytes). */
  private readonly decoders = (at: DecodeContext): StreamDecoder => this.egress.createStreamDecoder(at);

  /** Chat endpoints by model: JSON, streamed. */
  private readonly chatEndpoints = [new Map<string, Endpoint>(), new Map<string, Endpoint>()] as const;

  /** Where chatUrl(model, stream) is, resolved once per model (its pool and path). */
  private chatEndpoint(model: string, stream: boolean): Endpoint {
    const known = this.chatEndpoints[stream ? 1 : 0];
    let at = known.get(model);
    if (at === undefined) {
      at = this.endpoint(this.chatUrl(model, stream));
      if (known.size < 1000) known.set(model, at);
    }
    return at;
  }

  /** An absolute URL of this provider's, in this gateway's connection pools. */
  protected endpoint(url: string): Endpoint {
    return endpoint(this.name, this.deps.pools, url);
  }

  /** POST `body` to `url` with this provider's JSON headers (made per request where it signs); the exchange once the answer's headers are in (off the hot path). */
  protected async post(url: string, body: string, signal: CallContext['signal']): Promise<Exchange> {
    const headers = this.requestHeaders ? await this.requestHeaders({ method: 'POST', url, headers: this.headers(), body }) : this.headers();
    return toPromise((to) => exchange(this.endpoint(url), 'POST', headers, body, signal, asIs, undefined, to));
  }

  async embed(req: EmbeddingRequest, model: string, ctx: CallContext): Promise<EmbeddingResponse> {
    const url = this.embeddingsUrl(model);
    const egress = this.egress;
    if (url === undefined || !egress.encodeEmbeddingRequest || !egress.decodeEmbeddingResponse) {
      throw gatewayError('embeddings_unsupported', `Provider ${this.name} (${this.type}) has no embeddings API.`, { param: 'model' });
    }
    const res = await this.post(url, JSON.stringify(egress.encodeEmbeddingRequest(req, model)), ctx.signal);
    if (res.status < 200 || res.status >= 300) return this.fail(res);
    const raw = await this.readAll(res, MAX_EMBEDDINGS_ANSWER_BYTES);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch (e) {
      throw gatewayError('upstream_malformed', `${this.name} answered embeddings with invalid JSON.`, { provider: this.name, cause: e });
    }
    return egress.decodeEmbeddingResponse(json, req);
  }
}

/** A JSON object's first and last non-blank bytes: a cheap guard for bytes forwarded unparsed. */
function looksLikeJsonObject(raw: Buffer): boolean {
  let i = 0;
  let j = raw.length - 1;
  while (i <= j && (raw[i] === 0x20 || raw[i] === 0x0a || raw[i] === 0x0d || raw[i] === 0x09)) i++;
  while (j >= i && (raw[j] === 0x20 || raw[j] === 0x0a || raw[j] === 0x0d || raw[j] === 0x09)) j--;
  return raw[i] === 0x7b && raw[j] === 0x7d;
}

/** One chat call as its answer's `head` sees it: who asked (for the decoders) and whether the client speaks this format. */
class Call implements DecodeContext {
  constructor(
    readonly provider: string,
    readonly model: string,
    readonly passthrough: boolean,
  ) {}
}

/** A result whose canonical form is decoded on first use (pass-through needs only the bytes). */
class LazyResult implements ChatResult {
  private decoded: ChatResponse | undefined;

  constructor(
    readonly raw: Buffer,
    readonly format: FormatName,
    private readonly provider: HttpProvider,
    private readonly call: Call,
  ) {}

  get response(): ChatResponse {
    return (this.decoded ??= this.provider.decode(this.raw, this.call));
  }
}
