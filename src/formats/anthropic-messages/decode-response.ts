/** Upstream Anthropic `message` object -> canonical ChatResponse. */
import { gatewayError, GatewayError } from '../../core/errors.js';
import type { ChatResponse } from '../../core/response.js';
import type { ToolCall } from '../../core/request.js';
import { finishFromStopReason, usageFromAnthropic } from './mapping.js';

function malformed(what: string): GatewayError {
  return gatewayError('upstream_malformed', `The Anthropic upstream answered with ${what}.`);
}

export function decodeAnthropicResponse(body: unknown): ChatResponse {
  if (typeof body !== 'object' || body === null) throw malformed('a body that is not a JSON object');
  const b = body as Record<string, unknown>;
  if (b.type !== 'message' || !Array.isArray(b.content)) throw malformed('a body that is not a message object');
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of b.content as unknown[]) {
    if (typeof block !== 'object' || block === null) continue;
    const c = block as Record<string, unknown>;
    if (c.type === 'text' && typeof c.text === 'string') text += c.text;
    else if (c.type === 'tool_use') {
      toolCalls.push({ id: String(c.id ?? ''), name: String(c.name ?? ''), arguments: JSON.stringify(c.input ?? {}) });
    }
    // thinking / redacted_thinking and server-tool blocks have no canonical form: skipped.
  }
  const res: ChatResponse = {
    id: typeof b.id === 'string' ? b.id : '',
    model: typeof b.model === 'string' ? b.model : '',
    // Anthropic's message has no timestamp; the time we received it is the honest stand-in.
    created: Math.floor(Date.now() / 1000),
    text,
    toolCalls,
    finishReason: finishFromStopReason(b.stop_reason),
    usage: usageFromAnthropic(b.usage),
  };
  if (typeof b.stop_sequence === 'string') res.stopSequence = b.stop_sequence;
  return res;
}
