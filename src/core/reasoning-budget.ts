/**
 * Thinking-token budgets for a reasoning effort, for upstreams that take a budget rather than a
 * level (Anthropic `thinking.budget_tokens`, Gemini 2.5 `thinkingConfig.thinkingBudget`). low,
 * medium and high are the budgets Google documents for its own OpenAI-compatible endpoint
 * ("low", "medium" and "high" map to 1K, 8K and 24K thinking tokens: ai.google.dev/gemini-api/docs/openai);
 * minimal is the smallest budget Anthropic accepts (1,024); xhigh and max ask for more than high,
 * and get the largest budget Gemini 2.5 Pro accepts (32,768). Formats clamp to their own limits.
 */
import type { ReasoningEffort } from './request.js';

const BUDGETS: Record<ReasoningEffort, number> = {
  none: 0,
  minimal: 1024,
  low: 1024,
  medium: 8192,
  high: 24576,
  xhigh: 32768,
  max: 32768,
};

export function thinkingBudget(effort: ReasoningEffort): number {
  return BUDGETS[effort];
}
