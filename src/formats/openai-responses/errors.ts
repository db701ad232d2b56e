/**
 * Errors for Responses clients. Before headers the Responses API answers with
 * the same `{"error":{message,type,param,code}}` body and statuses as Chat
 * Completions, so the openai-chat encoder is reused as is (one place decides
 * OpenAI error types). In a stream the error is an `error` event.
 */
import type { GatewayError } from '../../core/errors.js';
import { encodeError, errorBody } from '../openai-chat/encode-error.js';

export const encodeResponsesError = encodeError;

/**
 * The data of an `error` stream event. The documented ResponseErrorEvent has
 * code/message/param at the top level; OpenAI's real frames also nest the
 * standard envelope under `error` (captured wire in Effect-TS/effect#7262).
 * Sending both satisfies strict schema readers and makes openai-node's Stream
 * throw an APIError (core/streaming: any data with an `error` field), so an SDK
 * client sees an exception, never a clean end (DESIGN.md principle 6).
 */
export function errorEventData(err: GatewayError, sequenceNumber: number): Record<string, unknown> {
  const body = errorBody(err).error;
  return {
    type: 'error',
    code: body.code ?? null,
    message: body.message,
    param: body.param ?? null,
    sequence_number: sequenceNumber,
    error: body,
  };
}

/** `response.error.code` for a failed response; the API's enum has only these two that fit a gateway failure. */
export function failedResponseCode(err: GatewayError): string {
  return err.kind === 'rate_limited' ? 'rate_limit_exceeded' : 'server_error';
}
