/** The Anthropic Messages wire format, for clients that speak it and upstreams that do. */
import type { EgressFormat, IngressFormat } from '../types.js';
import { decodeAnthropicRequest } from './decode-request.js';
import { encodeAnthropicRequest } from './encode-request.js';
import { decodeAnthropicResponse } from './decode-response.js';
import { encodeAnthropicResponse } from './encode-response.js';
import { AnthropicStreamDecoder } from './stream-decoder.js';
import { AnthropicStreamEncoder } from './stream-encoder.js';
import { decodeAnthropicError, encodeAnthropicError } from './errors.js';

export const anthropicMessages: IngressFormat & EgressFormat = {
  name: 'anthropic-messages',
  decodeRequest: decodeAnthropicRequest,
  encodeResponse: encodeAnthropicResponse,
  createStreamEncoder: (req) => new AnthropicStreamEncoder(req),
  encodeError: encodeAnthropicError,
  encodeRequest: encodeAnthropicRequest,
  decodeResponse: decodeAnthropicResponse,
  createStreamDecoder: () => new AnthropicStreamDecoder(),
  decodeError: decodeAnthropicError,
};

export { anthropicRetryAfterMs, kindForAnthropicError } from './errors.js';
export { DEFAULT_MAX_TOKENS } from './encode-answer-options.js';
