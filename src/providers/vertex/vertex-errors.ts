/**
 * Errors from Vertex AI come in two shapes: Google's own google.rpc.Status JSON from the platform
 * in front of the model (quota, permissions, a model not enabled in the project:
 * `{"error":{"code":429,"status":"RESOURCE_EXHAUSTED",...}}`), and, for Claude, Anthropic's error
 * body from the model behind it (`{"type":"error","error":{"type":"overloaded_error",...}}` with
 * 529). Each is read by its own format's decoder.
 */
import { decodeAnthropicError } from '../../formats/anthropic-messages/errors.js';
import { decodeError as decodeGoogleError } from '../../formats/gemini/errors.js';
import type { GatewayError } from '../../core/errors.js';
import type { UpstreamErrorInput } from '../../formats/types.js';

export function decodeVertexClaudeError(input: UpstreamErrorInput): GatewayError {
  let anthropicShaped = false;
  try {
    const j = JSON.parse(input.body) as { type?: unknown };
    anthropicShaped = typeof j === 'object' && j !== null && j.type === 'error';
  } catch {
    // Not JSON: Google's decoder describes HTML pages and empty bodies.
  }
  return anthropicShaped ? decodeAnthropicError(input) : decodeGoogleError(input);
}
