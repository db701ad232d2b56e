/**
 * What a wire format must provide. A format is one folder under src/formats;
 * it may serve clients (ingress), upstreams (egress) or both. Nothing here does
 * I/O: formats turn bytes-already-parsed into core types and back.
 */
import type { ChatRequest } from '../core/request.js';
import type { ChatResponse } from '../core/response.js';
import type { StreamEvent } from '../core/stream-event.js';
import type { GatewayError } from '../core/errors.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../core/embedding.js';
import type { SkimFrame } from '../sse/parser.js';
import type { SseFrame } from '../sse/frame.js';

export type FormatName = 'openai-chat' | 'anthropic-messages' | 'gemini' | 'openai-responses';

/** An error ready to send: status, headers and the body in the client's own error shape. */
export interface EncodedError {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Turns canonical stream events into one client's SSE text. Stateful: one per response. */
export interface StreamEncoder {
  /** SSE text for this event (may be '' when the format has nothing to say yet). */
  encode(event: StreamEvent): string;
  /** The format's proper end after `finish` (e.g. OpenAI's `data: [DONE]`); '' if finish already ended it. */
  end(): string;
  /** A protocol-correct in-stream error (after headers are sent), ending the stream. DESIGN.md principle 6. */
  error(err: GatewayError): string;
}

/** A client-facing format: decode what clients send, encode what they receive. */
export interface IngressFormat {
  readonly name: FormatName;
  /** Validate and decode a parsed JSON body. Throws GatewayError (400, naming `param`) on bad input. */
  decodeRequest(body: unknown): ChatRequest;
  encodeResponse(res: ChatResponse, req: ChatRequest): unknown;
  createStreamEncoder(req: ChatRequest): StreamEncoder;
  /** The single place a GatewayError becomes this format's HTTP error. */
  encodeError(err: GatewayError): EncodedError;
}

/** Decodes one upstream's SSE frames into canonical events. Stateful: one per stream. */
export interface StreamDecoder {
  /** Events carried by this frame (possibly none). Throws GatewayError kind `cut` on a malformed frame. */
  push(frame: SseFrame): StreamEvent[];
  /**
   * The upstream body ended. Returns trailing events (usually `finish`), or throws
   * GatewayError kind `cut` when the stream ended without its format's proper end.
   */
  end(): StreamEvent[];
  /** True once the format's proper end was seen (e.g. `[DONE]`, `message_stop`). */
  readonly done: boolean;
  /**
   * A cheap look at a frame's bytes without decoding it, for pass-through streams
   * whose bytes are forwarded as they are (src/formats/skim.ts): 'end', 'data' or
   * 'suspect' (decode it for real). Optional: without it every frame is decoded.
   */
  readonly skim?: SkimFrame;
  /**
   * Like `skim`, for frames before the first token: also 'token' for a frame whose
   * bytes certainly carry part of the answer, so a pass-through stream can commit
   * to its target without decoding. Optional: without it the head is decoded.
   */
  readonly skimHead?: SkimFrame;
}

/** Facts the upstream sent with an error, for decodeError. */
export interface UpstreamErrorInput {
  status: number;
  /** Lower-cased header lookup. */
  header(name: string): string | undefined;
  /** The body as text (may be HTML from an edge, empty, or truncated). */
  body: string;
  provider: string;
}

/**
 * Who a decoder decodes for: the configured provider (named in the errors it raises) and the
 * model that was asked for (named in the answer where the upstream omits it: Gemini may).
 */
export interface DecodeContext {
  provider: string;
  model: string;
}

/** An upstream-facing format: encode what the provider expects, decode what it answers. */
export interface EgressFormat {
  readonly name: FormatName;
  /** `model` is the upstream model id of the chosen target. Throws GatewayError 400 on content the format can't carry. */
  encodeRequest(req: ChatRequest, model: string): Record<string, unknown>;
  decodeResponse(body: unknown, at?: DecodeContext): ChatResponse;
  createStreamDecoder(at?: DecodeContext): StreamDecoder;
  /** Map the provider's error (any shape, including HTML) to a typed error that keeps its meaning. */
  decodeError(input: UpstreamErrorInput): GatewayError;
}

/** Embeddings, for formats that have them. */
export interface EmbeddingIngress {
  decodeEmbeddingRequest(body: unknown): EmbeddingRequest;
  encodeEmbeddingResponse(res: EmbeddingResponse, req: EmbeddingRequest): unknown;
}

export interface EmbeddingEgress {
  encodeEmbeddingRequest(req: EmbeddingRequest, model: string): Record<string, unknown>;
  decodeEmbeddingResponse(body: unknown, req: EmbeddingRequest): EmbeddingResponse;
}
