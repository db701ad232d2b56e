/**
 * Gemini `GenerateContentResponse` -> canonical ChatResponse. The helpers here
 * (finish reason, usage, parts) are shared with the stream decoder, since every
 * streamed chunk is itself a whole GenerateContentResponse.
 *
 * A prompt blocked before generation (promptFeedback.blockReason, no candidates)
 * decodes as an empty answer with finish `content_filter`, not an error: the
 * request was valid and was answered, and that is what OpenAI clients see for
 * filtered content too. An answer with neither a candidate nor a block reason
 * (Gemini sends these at times, with nothing else in them) is a failed
 * generation, not an empty answer: it is `upstream_malformed`, so the next
 * target answers instead.
 */
import { gatewayError } from '../../core/errors.js';
import { randomId } from '../../core/ids.js';
import type { ToolCall } from '../../core/request.js';
import type { ChatResponse, FinishReason, Usage } from '../../core/response.js';
import type { DecodeContext } from '../types.js';

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Gemini FinishReason enum (js-genai src/types.ts) -> canonical. */
export function finishReasonFrom(reason: unknown, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'STOP':
      // Gemini says STOP after function calls too; clients expect tool_calls then.
      return hasToolCalls ? 'tool_calls' : 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
      return 'content_filter';
    default:
      return hasToolCalls ? 'tool_calls' : 'other';
  }
}

/** usageMetadata -> Usage. Thinking tokens are billed as output, so they count as output. */
export function usageFrom(meta: unknown): Usage | undefined {
  if (!isObj(meta)) return undefined;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const usage: Usage = {
    inputTokens: num(meta.promptTokenCount),
    outputTokens: num(meta.candidatesTokenCount) + num(meta.thoughtsTokenCount),
  };
  if (typeof meta.cachedContentTokenCount === 'number') usage.cachedInputTokens = meta.cachedContentTokenCount;
  return usage;
}

/** The first candidate's parts (Gemini returns one candidate unless candidateCount is set). */
export function candidateOf(body: Json): { parts: Json[]; finishReason?: unknown } | undefined {
  const cands = body.candidates;
  if (!Array.isArray(cands) || cands.length === 0 || !isObj(cands[0])) return undefined;
  const c = cands[0];
  const parts = isObj(c.content) && Array.isArray(c.content.parts) ? c.content.parts.filter(isObj) : [];
  return c.finishReason === undefined ? { parts } : { parts, finishReason: c.finishReason };
}

/** Text of a part, skipping thought summaries (`thought: true`), which are not the answer. */
export function partText(p: Json): string | undefined {
  return typeof p.text === 'string' && p.thought !== true ? p.text : undefined;
}

/**
 * A functionCall part as a canonical tool call. Gemini's API usually omits the
 * call id; we make one that is stable within the response (`call_<key>_<n>`),
 * and unique across turns so histories stay valid for providers that require
 * unique tool-call ids (Anthropic).
 */
export function toolCallFrom(p: Json, n: number, key: string): ToolCall | undefined {
  const fc = p.functionCall;
  if (!isObj(fc) || typeof fc.name !== 'string') return undefined;
  const id = typeof fc.id === 'string' && fc.id !== '' ? fc.id : `call_${key}_${n}`;
  return { id, name: fc.name, arguments: JSON.stringify(isObj(fc.args) ? fc.args : {}) };
}

/** A short key for generated call ids, from the response id when Gemini gives one. */
export function callKey(responseId: unknown): string {
  return typeof responseId === 'string' && /^[A-Za-z0-9_-]{4,}$/.test(responseId) ? responseId.slice(0, 16) : randomId('', 12);
}

export function decodeResponse(body: unknown, at?: DecodeContext): ChatResponse {
  if (!isObj(body)) {
    throw gatewayError('upstream_malformed', 'Gemini answered with a body that is not a JSON object.');
  }
  const cand = candidateOf(body);
  const blocked = !cand && isObj(body.promptFeedback) && body.promptFeedback.blockReason !== undefined;
  if (!cand && !blocked) {
    throw gatewayError('upstream_malformed', 'Gemini answered with no candidate and no block reason (an empty generation).');
  }
  const key = callKey(body.responseId);
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const p of cand?.parts ?? []) {
    const t = partText(p);
    if (t !== undefined) text += t;
    const call = toolCallFrom(p, toolCalls.length, key);
    if (call) toolCalls.push(call);
  }
  const finishReason: FinishReason = blocked ? 'content_filter' : finishReasonFrom(cand?.finishReason, toolCalls.length > 0);
  return {
    id: typeof body.responseId === 'string' ? body.responseId : randomId('gen-'),
    // Gemini may omit modelVersion: then the answer names the model that was asked for.
    model: typeof body.modelVersion === 'string' ? body.modelVersion : (at?.model ?? ''),
    created: Math.floor(Date.now() / 1000),
    text,
    toolCalls,
    finishReason,
    usage: usageFrom(body.usageMetadata) ?? { inputTokens: 0, outputTokens: 0 },
  };
}
