/** The OpenAI Chat Completions wire format, for clients (ingress) and upstreams (egress). */
import type { EgressFormat, EmbeddingEgress, EmbeddingIngress, IngressFormat } from '../types.js';
import { decodeError } from './decode-error.js';
import { decodeRequest } from './decode-request.js';
import { decodeResponse } from './decode-response.js';
import { decodeEmbeddingRequest, decodeEmbeddingResponse, encodeEmbeddingRequest, encodeEmbeddingResponse } from './embeddings.js';
import { encodeError } from './encode-error.js';
import { encodeRequest } from './encode-request.js';
import { encodeResponse } from './encode-response.js';
import { createStreamDecoder } from './stream-decoder.js';
import { createStreamEncoder } from './stream-encoder.js';

export const openaiChat: IngressFormat & EgressFormat & EmbeddingIngress & EmbeddingEgress = {
  name: 'openai-chat',
  decodeRequest,
  encodeResponse,
  createStreamEncoder,
  encodeError,
  encodeRequest,
  decodeResponse,
  createStreamDecoder,
  decodeError,
  decodeEmbeddingRequest,
  encodeEmbeddingResponse,
  encodeEmbeddingRequest,
  decodeEmbeddingResponse,
};

export { scrubSecrets } from './scrub.js';
export { parseDuration, rateLimitWaitMs } from './retry-after.js';
