/**
 * What reads an upstream body as it arrives: the exchange (http-exchange.ts) is one such source,
 * and a transcoding wrapper around it (transcoded-body.ts) is another, for upstreams whose
 * streams are not SSE on the wire (AWS event-stream framing from Bedrock).
 */

/** Told the body's bytes as they come, then its end or its failure (once). */
export interface BodyConsumer {
  data(chunk: Buffer): void;
  end(): void;
  error(e: Error): void;
}

/** A body delivered to one consumer, with backpressure and abort. */
export interface BodySource {
  consume(c: BodyConsumer): void;
  pause(): void;
  resume(): void;
  /** Abort the body; `reason` becomes the error the consumer sees. */
  abort(reason: Error): void;
}

/**
 * Turns an upstream's stream body into SSE bytes the format's decoder reads. `push` returns the
 * SSE bytes of the complete units of `chunk` (possibly none); a unit that cannot be read ends the
 * stream: `push` then returns what came before it and `failure` says why.
 */
export interface ByteTranscoder {
  push(chunk: Buffer): Buffer;
  /** The body ended: a failure when it ended inside a unit (a cut), else undefined. */
  end(): Error | undefined;
  readonly failure: Error | undefined;
}
