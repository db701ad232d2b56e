/**
 * A provider-neutral estimate of a prompt's input tokens: for count_tokens when
 * the target has no counting API (OpenAI and Gemini targets behind an Anthropic
 * client), and for a translated Anthropic stream's `message_start`, which must
 * state the prompt size before an OpenAI upstream has reported it. Deliberately
 * simple and documented, never presented as exact: count_tokens answers with
 * `x-switchyard-token-count: estimated`, the stream labels its figure the same way.
 */
import type { ChatRequest, ContentPart } from './request.js';

/** OpenAI's and Anthropic's rule of thumb for English text: about 4 characters per token. */
export const CHARS_PER_TOKEN = 4;

/**
 * Anthropic's vision guide: tokens ≈ width × height / 750, and images are scaled
 * down to about 1.15 megapixels, i.e. at most ~1,600 tokens. We don't decode
 * images, so each counts as that ceiling: an estimate should not undercount.
 */
export const IMAGE_TOKENS = 1600;

function partsText(parts: ContentPart[]): { chars: number; images: number } {
  let chars = 0;
  let images = 0;
  for (const p of parts) {
    if (p.type === 'text') chars += p.text.length;
    else images++;
  }
  return { chars, images };
}

/** Characters of system, messages (text, tool calls, tool results) and tool schemas / 4, plus a flat cost per image. */
export function estimateInputTokens(req: ChatRequest): number {
  let chars = 0;
  let images = 0;
  for (const m of req.messages) {
    const t = partsText(m.content);
    chars += t.chars;
    images += t.images;
    if (m.role === 'assistant') for (const c of m.toolCalls ?? []) chars += c.name.length + c.arguments.length;
  }
  for (const tool of req.tools ?? []) chars += tool.name.length + (tool.description?.length ?? 0) + JSON.stringify(tool.parameters).length;
  return Math.ceil(chars / CHARS_PER_TOKEN) + images * IMAGE_TOKENS;
}
