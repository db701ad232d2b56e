/**
 * What one simulated provider's wire format supplies to the shared sim engine
 * (engine.ts). Each wire is written from the provider's public API reference,
 * independently of src/formats, so that translation bugs are caught rather than
 * mirrored.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SimAnswer, SimPrompt } from './script.js';

export type SimRoute =
  | { kind: 'chat'; stream: boolean; /** Model from the path (Gemini), else from the body. */ model?: string }
  | { kind: 'embed'; model?: string }
  | { kind: 'models' };

export interface SimErrorResponse {
  status: number;
  headers: Record<string, string>;
  /** Exact body bytes as the provider sends them. */
  body: string;
}

export interface SimWire {
  /** Provider label used in ids and default text (e.g. 'openai'). */
  readonly provider: string;
  /** Which endpoint a request is, or undefined for 404. `url` includes the query string. */
  route(method: string, url: string): SimRoute | undefined;
  /**
   * True if the request carries an acceptable credential (any non-empty key in the provider's header).
   * `url` (path and query) is passed for providers that also accept a key in the query (Gemini `?key=`).
   */
  authorized(headers: Record<string, string | string[] | undefined>, url?: string): boolean;
  /** Validate and read a chat body. Returns an error response for bad input (the provider's 400 shape). */
  parseChat(body: unknown, route: SimRoute): { prompt: SimPrompt } | { error: SimErrorResponse };
  /** The full non-streamed JSON response body. */
  chatJson(answer: SimAnswer, prompt: SimPrompt, id: string): unknown;
  /** The frames of a streamed answer, in order: complete SSE frames (text), or binary messages (Bedrock's event-stream). */
  streamFrames(answer: SimAnswer, prompt: SimPrompt, id: string): Array<string | Buffer>;
  /** The streamed answer's content type; default text/event-stream. */
  readonly streamContentType?: string;
  /**
   * A check of the whole request (method, path and query, headers, body bytes) after `authorized`:
   * request signing (AWS SigV4). An error response refuses it; undefined lets it through.
   */
  verifyRequest?(req: { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer }): Promise<SimErrorResponse | undefined>;
  /** Embeddings: a deterministic vector per input. */
  embed(body: unknown, route: SimRoute): { json: unknown } | { error: SimErrorResponse };
  /** The models listing body. */
  models(): unknown;
  /**
   * The provider's real error for `status` (body and headers such as Retry-After, request ids).
   * `variant: 'quota'` asks for the quota-exhausted 429 (OpenAI insufficient_quota, Gemini daily quota).
   */
  error(status: number, opts: { retryAfterSeconds?: number; variant?: 'quota' | 'over-capacity' | 'unauthorized' }): SimErrorResponse;
  /** Status used when the sim's concurrency capacity is exceeded (429 or the provider's overload code). */
  readonly overCapacityStatus: number;
  /** A frame the client's parser must reject (not valid JSON in the provider's frame position, a bad checksum). */
  malformedFrame(): string | Buffer;
  /** The provider's own in-stream error event (overloaded), as it sends one after the headers. */
  streamErrorFrame(): string | Buffer;
}
