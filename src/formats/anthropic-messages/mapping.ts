/** Stop reasons and usage between Anthropic's wire and canonical types (shared by both directions). */
import type { FinishReason, Usage } from '../../core/response.js';

export type AnthropicStopReason = 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal';

export function stopReasonFromFinish(f: FinishReason): AnthropicStopReason {
  switch (f) {
    case 'length': return 'max_tokens';
    case 'stop_sequence': return 'stop_sequence';
    case 'tool_calls': return 'tool_use';
    case 'content_filter': return 'refusal';
    default: return 'end_turn';
  }
}

export function finishFromStopReason(r: unknown): FinishReason {
  switch (r) {
    case 'end_turn': return 'stop';
    case 'stop_sequence': return 'stop_sequence';
    case 'max_tokens':
    case 'model_context_window_exceeded': return 'length';
    case 'tool_use': return 'tool_calls';
    case 'refusal': return 'content_filter';
    default: return 'other'; // pause_turn, null, anything newer
  }
}

function n(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/**
 * Anthropic's `input_tokens` excludes cached prompt tokens (they are reported as
 * cache_read_input_tokens / cache_creation_input_tokens), while canonical
 * inputTokens is the whole prompt with cachedInputTokens a part of it.
 */
export function inputFromAnthropicUsage(u: Record<string, unknown>): { inputTokens: number; cachedInputTokens?: number } {
  const read = n(u.cache_read_input_tokens);
  const inputTokens = n(u.input_tokens) + read + n(u.cache_creation_input_tokens);
  return read > 0 ? { inputTokens, cachedInputTokens: read } : { inputTokens };
}

export function usageFromAnthropic(u: unknown): Usage {
  const o = typeof u === 'object' && u !== null ? (u as Record<string, unknown>) : {};
  return { ...inputFromAnthropicUsage(o), outputTokens: n(o.output_tokens) };
}

/** Canonical usage -> Anthropic's usage fields (input_tokens without the cached part). */
export function anthropicUsage(u: Usage): { input_tokens: number; output_tokens: number; cache_read_input_tokens?: number } {
  const cached = u.cachedInputTokens;
  if (cached === undefined) return { input_tokens: u.inputTokens, output_tokens: u.outputTokens };
  return { input_tokens: Math.max(0, u.inputTokens - cached), output_tokens: u.outputTokens, cache_read_input_tokens: cached };
}

/** Anthropic message ids look like msg_…; keep an upstream id recognisable when it has another shape. */
export function anthropicMessageId(id: string): string {
  return id.startsWith('msg_') ? id : `msg_${id.replace(/[^A-Za-z0-9]/g, '') || 'gateway'}`;
}
