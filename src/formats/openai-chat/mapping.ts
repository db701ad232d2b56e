/** finish_reason and usage, both directions (API reference: CompletionUsage, finish_reason enum). */
import type { FinishReason, Usage } from '../../core/response.js';
import type { OpenAIUsage } from './wire-types.js';
import { isObject } from './validate.js';

/** OpenAI has no separate stop-sequence reason; `other` has no OpenAI name, `stop` is the honest nearest. */
export function toOpenAIFinish(r: FinishReason): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  switch (r) {
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return r;
    default:
      return 'stop';
  }
}

export function fromOpenAIFinish(r: unknown): FinishReason {
  switch (r) {
    case 'stop':
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return r;
    case 'function_call': // legacy functions API: still a call the client must run
      return 'tool_calls';
    default:
      return 'other';
  }
}

export function toOpenAIUsage(u: Usage): OpenAIUsage {
  const out: OpenAIUsage = {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
  };
  if (u.cachedInputTokens !== undefined) out.prompt_tokens_details = { cached_tokens: u.cachedInputTokens };
  return out;
}

function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0;
}

export function fromOpenAIUsage(raw: unknown): Usage | undefined {
  if (!isObject(raw)) return undefined;
  const u: Usage = { inputTokens: count(raw.prompt_tokens), outputTokens: count(raw.completion_tokens) };
  const details = raw.prompt_tokens_details;
  if (isObject(details) && typeof details.cached_tokens === 'number') u.cachedInputTokens = details.cached_tokens;
  return u;
}
