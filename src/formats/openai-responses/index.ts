/**
 * The OpenAI Responses API (`POST /v1/responses`) as a client-facing format,
 * stateless subset: the full conversation comes in `input` every time.
 * Ingress only: upstreams are reached through their own formats.
 */
import type { IngressFormat } from '../types.js';
import { decodeResponsesRequest } from './decode-request.js';
import { encodeResponsesResponse } from './encode-response.js';
import { encodeResponsesError } from './errors.js';
import { createResponsesStreamEncoder } from './stream-encoder.js';

export const openaiResponses: IngressFormat = {
  name: 'openai-responses',
  decodeRequest: decodeResponsesRequest,
  encodeResponse: encodeResponsesResponse,
  createStreamEncoder: createResponsesStreamEncoder,
  encodeError: encodeResponsesError,
};
