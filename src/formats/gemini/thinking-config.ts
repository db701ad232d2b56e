/**
 * A reasoning effort -> Gemini's `generationConfig.thinkingConfig` (js-genai `ThinkingConfig`):
 * Gemini 3 and later take a `thinkingLevel` (MINIMAL, LOW, MEDIUM, HIGH), Gemini 2.5 a
 * `thinkingBudget` in tokens (0 turns thinking off, on the models that allow it), with Google's
 * own budgets for its OpenAI-compatible endpoint (core/reasoning-budget.ts) clamped to the model's
 * range: up to 24,576 on Flash and Flash-Lite, 32,768 on Pro (ai.google.dev/gemini-api/docs/thinking).
 * Sending both is a 400, so it is one or the other. Models before 2.5 do not think: a request
 * that asks them to is refused, so the router tries the alias's next target.
 */
import type { ChatRequest } from '../../core/request.js';
import { thinkingBudget } from '../../core/reasoning-budget.js';
import { unsupportedByTarget } from '../unsupported.js';

/** Major and minor version of a Gemini model id (`gemini-2.5-flash`, `gemini-3-pro-preview`), if it has one. */
function version(model: string): number | undefined {
  const m = /gemini-(\d+)(?:\.(\d+))?/.exec(model);
  return m ? Number(m[1]) + Number(m[2] ?? 0) / 10 : undefined;
}

export function thinkingConfig(req: ChatRequest, model: string): Record<string, unknown> | undefined {
  const effort = req.reasoningEffort;
  if (effort === undefined) return undefined;
  const v = version(model);
  // Unknown ids (aliases such as gemini-flash-latest, tuned models) are taken to be current models.
  if (v !== undefined && v < 2.5) {
    if (effort === 'none') return undefined;
    throw unsupportedByTarget(req.paths?.reasoningEffort ?? 'reasoning_effort', `the Google Gemini target's model ${model} does not think, so this reasoning effort can't be honoured.`);
  }
  if (v !== undefined && v >= 3) {
    // Gemini 3 cannot turn thinking off; MINIMAL is its least.
    const level = effort === 'none' || effort === 'minimal' ? 'MINIMAL' : effort === 'low' ? 'LOW' : effort === 'medium' ? 'MEDIUM' : 'HIGH';
    return { thinkingLevel: level };
  }
  const cap = /-pro/.test(model) ? 32768 : 24576;
  return { thinkingBudget: Math.min(thinkingBudget(effort), cap) };
}
