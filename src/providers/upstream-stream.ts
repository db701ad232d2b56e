/**
 * An upstream SSE body as an async iterable of {raw frame bytes, canonical events}.
 * The body is parsed once (src/sse) and decoded once (the format's StreamDecoder).
 */
import { GatewayError } from '../core/errors.js';
import type { FormatName, StreamDecoder } from '../formats/types.js';
import { SseParser } from '../sse/parser.js';
import { connectionError, type UpstreamResponse } from './http-client.js';
import type { StreamChunk, UpstreamStream } from './types.js';

const EMPTY = Buffer.alloc(0);

export function upstreamStream(
  provider: string,
  format: FormatName,
  decoder: StreamDecoder,
  res: UpstreamResponse,
  controller: AbortController,
): UpstreamStream {
  return {
    format,
    cancel: (reason?: unknown) => controller.abort(reason),
    async *[Symbol.asyncIterator](): AsyncIterator<StreamChunk> {
      const parser = new SseParser();
      try {
        for await (const chunk of res.body) {
          for (const frame of parser.push(chunk as Buffer)) {
            yield { raw: frame.raw, events: decoder.push(frame) };
          }
        }
        for (const frame of parser.flush()) yield { raw: frame.raw, events: decoder.push(frame) };
      } catch (e) {
        if (e instanceof GatewayError) throw e;
        const cause = connectionError(provider, e, controller.signal);
        // Aborted by us: the reason (TTFT/idle timeout, deadline, hedge lost, client gone) is the error.
        if (controller.signal.aborted) throw cause;
        throw new GatewayError({
          code: 'upstream_stream_cut',
          message: `${provider} closed the stream before the answer was complete.`,
          status: 502,
          kind: 'cut',
          provider,
          cause,
        });
      } finally {
        // Stop reading from a stream the consumer abandoned (break/throw).
        if (!decoder.done) res.body.destroy();
      }
      const tail = decoder.end();
      if (tail.length > 0) yield { raw: EMPTY, events: tail };
    },
  };
}
