/**
 * Chat Completions parameters that change what the answer contains or how hard the model thinks
 * (openai-node `ChatCompletionCreateParamsBase`). `reasoning_effort` has a canonical field every
 * format maps; log probabilities, audio output, web-search annotations and token bans have no
 * place in the canonical answer, so they are recorded as `sameFormatOnly`: an OpenAI-format target
 * gets them as the client sent them (pass-through), any other target is skipped (issue #24).
 * Sampling hints (`frequency_penalty`, `presence_penalty`, `prediction`, `verbosity`,
 * `service_tier`) change no content and stay hints: kept by pass-through, not carried elsewhere.
 */
import { invalidRequest } from '../../core/errors.js';
import { REASONING_EFFORTS, type ChatRequest, type ReasoningEffort } from '../../core/request.js';
import { isObject, optArray, optBoolean, optInteger, optString, requireObject, type Json } from './validate.js';

export function decodeAnswerOptions(body: Json, req: ChatRequest): void {
  const effort = decodeReasoningEffort(optString(body.reasoning_effort, 'reasoning_effort'), 'reasoning_effort');
  if (effort !== undefined) req.reasoningEffort = effort;

  const only: string[] = [];
  const logprobs = optBoolean(body.logprobs, 'logprobs');
  const topLogprobs = optInteger(body.top_logprobs, 'top_logprobs', 0);
  if (logprobs === true) only.push('logprobs');
  else if (topLogprobs !== undefined && topLogprobs > 0) only.push('top_logprobs');
  const modalities = optArray(body.modalities, 'modalities');
  if (modalities?.includes('audio')) only.push('modalities');
  else if (body.audio !== undefined && body.audio !== null) only.push('audio');
  if (body.web_search_options !== undefined && body.web_search_options !== null) {
    requireObject(body.web_search_options, 'web_search_options');
    only.push('web_search_options');
  }
  if (isObject(body.logit_bias) && Object.keys(body.logit_bias).length > 0) only.push('logit_bias');
  if (only.length > 0) req.sameFormatOnly = only;
}

/** One of the documented efforts, or a 400 naming `param` (OpenAI's own message shape). */
export function decodeReasoningEffort(v: string | undefined, param: string): ReasoningEffort | undefined {
  if (v === undefined) return undefined;
  if ((REASONING_EFFORTS as readonly string[]).includes(v)) return v as ReasoningEffort;
  throw invalidRequest(`Invalid value for '${param}': '${v}'. Supported values are: ${REASONING_EFFORTS.map((e) => `'${e}'`).join(', ')}.`, param);
}
