/**
 * An upstream = a wire format + base URL + auth + quirks (DESIGN.md).
 * Providers are the only code that talks HTTP to AI vendors.
 */
import type { Sink } from '../core/sink.js';
import type { ChatRequest } from '../core/request.js';
import type { ChatResponse } from '../core/response.js';
import type { StreamEvent } from '../core/stream-event.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../core/embedding.js';
import type { FormatName } from '../formats/types.js';
import type { SignalLike } from '../core/cancel.js';
import type { BufferPool } from './kept-bytes.js';
import type { UpstreamPools } from './upstream-pool.js';
import type { Clock } from '../core/clock.js';
import type { CloudDeps } from './cloud-deps.js';

export type ProviderType = 'openai' | 'openai-compatible' | 'anthropic' | 'gemini' | 'bedrock' | 'vertex-anthropic' | 'vertex-gemini' | 'azure-openai';

/** A provider as configured (validated by src/config; secrets already interpolated). */
export interface ProviderConfig {
  name: string;
  type: ProviderType;
  /** Without a trailing slash, e.g. https://api.openai.com/v1 */
  baseUrl: string;
  apiKey?: string;
  /** Extra headers sent on every request (e.g. OpenAI-Organization). */
  headers: Record<string, string>;
  /** Extra query parameters on every request (e.g. Azure's api-version). */
  query: Record<string, string>;
  /**
   * Header that carries the key, for openai-compatible servers that differ
   * (Azure OpenAI: `api-key`). Default per type: Authorization: Bearer (openai),
   * x-api-key (anthropic), x-goog-api-key (gemini).
   */
  authHeader?: string;
  // Clouds that serve the same models (docs/clouds.md).
  /** AWS region (bedrock) or Google Cloud location (vertex-*), e.g. us-east-1, us-east5, global. */
  region?: string;
  /** Google Cloud project id (vertex-*). */
  project?: string;
  /** AWS shared-config profile (bedrock); else AWS_PROFILE, else default. */
  profile?: string;
  /** AWS keys written in the configuration (bedrock); else the standard credential chain. */
  awsKeys?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Bedrock cross-Region inference profile for built-in Claude ids: us, eu, apac, global, or none. */
  inferenceProfile?: string;
  /** A Google credentials JSON file (service account or other ADC file) (vertex-*); else application default credentials. */
  credentialsFile?: string;
  /** Azure OpenAI resource name: https://{resource}.openai.azure.com (azure-openai). */
  resource?: string;
  /** Azure OpenAI `api-version`. */
  apiVersion?: string;
  /** This provider's own id for a target's model: Azure deployments, Bedrock ARNs or profiles, Vertex versions. */
  modelIds?: Record<string, string>;
}

/** The client's original body, for same-format pass-through (keeps fields the canonical model doesn't know). */
export interface OriginalRequest {
  format: FormatName;
  body: Record<string, unknown>;
  /** The JSON text `body` was parsed from, when known: forwarded with only the model changed where that is safe. */
  text?: string;
}

export interface CallContext {
  /** Cancels the call (deadline, timers, client gone); an AbortSignal works too. */
  signal: SignalLike;
  original?: OriginalRequest;
  /** W3C trace context for the upstream call (the attempt's span), when the request is traced. */
  traceparent?: string;
}

export interface ChatResult {
  response: ChatResponse;
  /** The upstream's body bytes, when it speaks `format` and the client does too (forward untouched). */
  raw: Buffer;
  format: FormatName;
}

/** One upstream SSE frame: its bytes (for same-format forwarding) and what it means. */
export interface StreamChunk {
  raw: Buffer;
  events: StreamEvent[];
  /** These bytes hold the stream's first token, judged on the bytes alone (pass-through: `events` may then be empty). */
  token?: boolean;
  /** These bytes hold the format's proper end (seen while skimming: pass-through), so whoever must act before the client sees the end can hold them. */
  end?: boolean;
}

/** Told once that a stream has something to poll (a chunk, its end, or its failure). */
export interface StreamWaiter {
  readable(): void;
}

/**
 * An open upstream stream; headers were received and the status was 2xx. Read by polling, and
 * told when to poll again.
 */
export interface UpstreamStream {
  readonly format: FormatName;
  /**
   * The next chunk, or the end, when one is ready now; undefined when nothing is (then wait()).
   * Throws the stream's failure, once every chunk that came before it was taken.
   */
  poll(): IteratorResult<StreamChunk> | undefined;
  /** Tell `w` once when poll() has something again (one waiter at a time). */
  wait(w: StreamWaiter): void;
  /** Abort the upstream request (client went away, hedge lost, idle timeout...); `reason` becomes the stream's failure. */
  cancel(reason?: unknown): void;
  /**
   * From now on, don't decode frames whose bytes are forwarded as they are: only
   * skim them (proper end, error events, malformed frames are still caught).
   * Chunks then carry no events; replay() decodes what was forwarded when asked.
   */
  skimRest?(): void;
  /**
   * The events of the first `bytes` bytes this stream handed out, after those already replayed or
   * compacted: for a pass-through stream whose consumer wrote exactly those bytes to the client,
   * what the client received (a continuation goes on from there, issue #22). Empty after dispose().
   */
  replay?(bytes: number): StreamEvent[];
  /**
   * Like replay(upTo), and the bytes before `upTo` (a chunk boundary the consumer wrote up to) are
   * no longer kept: a long pass-through stream keeps its answer as events, not as every byte sent.
   */
  compact?(upTo: number): StreamEvent[];
  /**
   * The consumer is done with a stream that ended well: the kept bytes will never be replayed, and
   * the memory that kept them is reused by the next stream.
   */
  dispose?(): void;
}

/**
 * What a gateway gives each of its providers: its own connection pools and reusable buffers (never
 * another gateway's), its clock (credential refreshes), and for the clouds the environment their
 * credential chains read and (tests) credential sources in place of the real chains.
 */
export interface ProviderDeps extends CloudDeps {
  pools: UpstreamPools;
  buffers: BufferPool;
  clock: Clock;
}

/**
 * One protocol per hop (STYLE.md): a chat call tells a sink once, `done` or `failed` (a
 * GatewayError), and never throws. Callers off the hot path wrap it with core/sink toPromise.
 */
export interface Provider {
  readonly name: string;
  readonly type: ProviderType;
  /** The wire format this provider speaks. */
  readonly format: FormatName;
  /**
   * Whether a trailing assistant message is continued as-is (assistant prefill:
   * Anthropic, Gemini). Without it, mid-stream recovery adds an explicit
   * continue instruction instead.
   */
  readonly supportsPrefill?: boolean;
  /** Non-streamed chat: `to` is told the whole answer. */
  chat(req: ChatRequest, model: string, ctx: CallContext, to: Sink<ChatResult>): void;
  /** Streamed chat: `to` is told the stream once the upstream answered 2xx with headers. */
  stream(req: ChatRequest, model: string, ctx: CallContext, to: Sink<UpstreamStream>): void;
  /** Rejects with GatewayError `unsupported` (400) where the provider has no embeddings. */
  embed(req: EmbeddingRequest, model: string, ctx: CallContext): Promise<EmbeddingResponse>;
  /**
   * The prompt's input tokens as the provider itself counts them, where it has an API for it
   * (Anthropic's POST /v1/messages/count_tokens). Absent: the gateway estimates. Rejects with GatewayError.
   */
  countTokens?(req: ChatRequest, model: string, ctx: CallContext): Promise<number>;
}
