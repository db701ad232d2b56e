/**
 * What a Claude model can do, from its id on any cloud (`claude-sonnet-4-5`,
 * `anthropic.claude-3-5-haiku-20241022-v1:0`, `claude-sonnet-4@20250514`), for features a
 * translated request may ask for. Unknown ids (newer models, ARNs, inference profiles) are
 * assumed to have them: the lists name only what is known to lack them. Sources: Anthropic's
 * extended-thinking guide ("Supported models": Claude 3.7 Sonnet and every Claude 4 model) and
 * structured-outputs guide (generally available on Claude Opus 4.6, Sonnet 4.6, Sonnet 4.5,
 * Opus 4.5 and Haiku 4.5; beta only on Opus 4.1; never on 3.x or the first Sonnet 4 / Opus 4).
 * Update these lists, not the code, as models come and go.
 */

/** Claude before 4: claude-instant, claude-2, claude-3-*, in any cloud's spelling. */
const CLAUDE_3 = /claude-(?:instant|2|3)(?:[-.@]|$)/;
const CLAUDE_3_7 = /claude-3-7/;
/** The first Sonnet 4 and Opus 4 (`-4-0`, dated `-4-20250514`, Vertex `-4@20250514`), and Opus 4.1. */
const CLAUDE_4_0 = /claude-(?:sonnet|opus)-4(?:-0|-\d{8}|@\d{8})?(?:$|[^-\d@]|-v\d)/;
const OPUS_4_1 = /claude-opus-4-1(?:$|\D)/;

/** Extended thinking (`thinking: {type: "enabled", budget_tokens}`). */
export function claudeThinks(model: string): boolean {
  return !CLAUDE_3.test(model) || CLAUDE_3_7.test(model);
}

/** Structured outputs (`output_config.format`). */
export function claudeHasStructuredOutputs(model: string): boolean {
  return !CLAUDE_3.test(model) && !CLAUDE_4_0.test(model) && !OPUS_4_1.test(model);
}
