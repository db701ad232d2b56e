/** The canonical (non-streamed) chat response. */
import type { ToolCall } from './request.js';

/**
 * Why generation stopped. `stop_sequence` is kept apart from `stop` because
 * Anthropic distinguishes them; OpenAI encodes both as `stop`.
 */
export type FinishReason = 'stop' | 'stop_sequence' | 'length' | 'tool_calls' | 'content_filter' | 'other';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Part of inputTokens served from the provider's prompt cache, when reported. */
  cachedInputTokens?: number;
}

export interface ChatResponse {
  id: string;
  /** The upstream model that produced the answer. */
  model: string;
  /** Unix seconds. */
  created: number;
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  /** The stop sequence that ended generation, when the upstream reports it. */
  stopSequence?: string;
  usage: Usage;
}

export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0 };
}
