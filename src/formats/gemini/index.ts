/**
 * The Google Gemini (generativelanguage v1beta) wire format, as an upstream.
 * There is no Gemini client-facing ingress yet.
 */
import type { EgressFormat, EmbeddingEgress } from '../types.js';
import { decodeResponse } from './decode-response.js';
import { encodeRequest } from './encode-request.js';
import { decodeError } from './errors.js';
import { decodeEmbeddingResponse, encodeEmbeddingRequest } from './embeddings.js';
import { createStreamDecoder } from './stream-decoder.js';

export const gemini: EgressFormat & EmbeddingEgress = {
  name: 'gemini',
  encodeRequest,
  decodeResponse,
  createStreamDecoder,
  decodeError,
  encodeEmbeddingRequest,
  decodeEmbeddingResponse,
};
