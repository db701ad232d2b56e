/**
 * What a translated request asks of the answer, in Anthropic's terms: structured output becomes
 * `output_config.format` (Messages API, structured outputs), a reasoning effort becomes extended
 * thinking with a token budget (`thinking: {type: "enabled", budget_tokens}`, extended-thinking
 * guide). What Anthropic cannot honour makes this target ineligible (unsupported_by_target), so
 * the router tries the alias's next target: JSON mode without a schema, thinking on a model
 * without it or with a forced tool choice, and output only the client's own format carries back.
 */
import type { ChatRequest } from '../../core/request.js';
import { thinkingBudget } from '../../core/reasoning-budget.js';
import { refuseSameFormatOnly, unsupportedByTarget } from '../unsupported.js';
import { claudeHasStructuredOutputs, claudeThinks } from './model-features.js';
import { toAnthropicSchema } from './output-schema.js';

/** Anthropic requires max_tokens; OpenAI-style clients often omit it. */
export const DEFAULT_MAX_TOKENS = 4096;

/** The smallest budget_tokens Anthropic accepts ("Must be ≥1024 and less than max_tokens"). */
const MIN_THINKING_BUDGET = 1024;

export interface AnswerOptions {
  maxTokens: number;
  outputConfig?: Record<string, unknown>;
  thinking?: { type: 'enabled'; budget_tokens: number };
}

export function answerOptions(req: ChatRequest, model: string): AnswerOptions {
  refuseSameFormatOnly(req, 'Anthropic');
  const out: AnswerOptions = { maxTokens: req.maxTokens ?? DEFAULT_MAX_TOKENS };
  const rf = req.responseFormat;
  if (rf && rf.type !== 'text') {
    const field = req.paths?.responseFormat ?? 'response_format';
    // Anthropic's structured outputs need a schema: there is no "any JSON object" mode to map json_object to.
    if (rf.type === 'json_object') throw unsupportedByTarget(field, `'json_object' can't be enforced by the Anthropic target, which constrains output only to a JSON schema; send a json_schema, or route this model to a provider that supports JSON mode.`);
    if (!claudeHasStructuredOutputs(model)) throw unsupportedByTarget(field, `the JSON schema can't be enforced by the Anthropic target: ${model} has no structured outputs (Claude Sonnet 4.5, Haiku 4.5, Opus 4.5 and later have).`);
    out.outputConfig = { format: { type: 'json_schema', schema: toAnthropicSchema(rf.schema) } };
  }
  const effort = req.reasoningEffort;
  if (effort === undefined || effort === 'none') return out;
  const field = req.paths?.reasoningEffort ?? 'reasoning_effort';
  if (!claudeThinks(model)) throw unsupportedByTarget(field, `the Anthropic target's model ${model} has no extended thinking, so this reasoning effort can't be honoured.`);
  // Anthropic: "Tool use with thinking only supports tool_choice: auto or none".
  if (req.toolChoice === 'required' || typeof req.toolChoice === 'object') {
    throw unsupportedByTarget(field, "Anthropic's extended thinking can't be combined with a forced tool_choice; remove one of the two.");
  }
  // Inside an assistant turn (a tool-use loop, or a continuation that prefills the answer) Anthropic
  // wants the turn's thinking blocks replayed with their signatures, and refuses prefill with
  // thinking; the canonical conversation carries neither, so the rest of such a turn runs without
  // thinking, as Anthropic itself does when thinking is toggled mid-turn.
  if (insideAssistantTurn(req)) return out;
  // Thinking counts toward max_tokens, as reasoning counts toward OpenAI's max_completion_tokens.
  // Without a cap from the client, the answer keeps the room it has without thinking.
  const budget = thinkingBudget(effort);
  if (req.maxTokens === undefined) out.maxTokens = budget + DEFAULT_MAX_TOKENS;
  const fitted = Math.min(budget, out.maxTokens - 1);
  if (fitted < MIN_THINKING_BUDGET) {
    throw unsupportedByTarget(field, `Anthropic's extended thinking needs a budget of at least ${MIN_THINKING_BUDGET} tokens below max_tokens, and max_tokens is ${out.maxTokens}; raise it to at least ${MIN_THINKING_BUDGET + 1} or remove the reasoning effort.`);
  }
  out.thinking = { type: 'enabled', budget_tokens: fitted };
  return out;
}

/** The conversation ends inside an assistant turn: its last assistant message (tool calls, or a prefill) has no user turn after it. */
function insideAssistantTurn(req: ChatRequest): boolean {
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const role = req.messages[i]!.role;
    if (role === 'user') return false;
    if (role === 'assistant') return true;
  }
  return false;
}
