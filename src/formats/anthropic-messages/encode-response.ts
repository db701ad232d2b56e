/** Canonical ChatResponse -> the Anthropic `message` object a client expects. */
import type { ChatRequest } from '../../core/request.js';
import type { ChatResponse } from '../../core/response.js';
import { anthropicMessageId, anthropicUsage, stopReasonFromFinish } from './mapping.js';

/**
 * Anthropic's tool_use.input is always an object. Arguments that are not a JSON
 * object (e.g. cut short by max_tokens) become {} — the same thing Anthropic
 * itself returns for a tool call it could not finish.
 */
export function toolInputObject(args: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(args);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function encodeAnthropicResponse(res: ChatResponse, _req: ChatRequest): Record<string, unknown> {
  const content: Record<string, unknown>[] = [];
  if (res.text !== '') content.push({ type: 'text', text: res.text });
  for (const c of res.toolCalls) content.push({ type: 'tool_use', id: c.id, name: c.name, input: toolInputObject(c.arguments) });
  return {
    id: anthropicMessageId(res.id),
    type: 'message',
    role: 'assistant',
    model: res.model,
    content,
    stop_reason: stopReasonFromFinish(res.finishReason),
    stop_sequence: res.stopSequence ?? null,
    usage: anthropicUsage(res.usage),
  };
}
