/** Canonical ChatResponse -> a `chat.completion` object exactly as OpenAI returns it. */
import type { ChatRequest } from '../../core/request.js';
import type { ChatResponse } from '../../core/response.js';
import { toOpenAIFinish, toOpenAIUsage } from './mapping.js';
import type { OpenAIChatCompletion } from './wire-types.js';

export function encodeResponse(res: ChatResponse, _req: ChatRequest): OpenAIChatCompletion {
  const hasCalls = res.toolCalls.length > 0;
  const message: OpenAIChatCompletion['choices'][number]['message'] = {
    role: 'assistant',
    // OpenAI sends content null (not "") when the answer is only tool calls.
    content: hasCalls && res.text === '' ? null : res.text,
    refusal: null,
  };
  if (hasCalls) {
    message.tool_calls = res.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  }
  return {
    id: res.id,
    object: 'chat.completion',
    created: res.created,
    // The upstream model that really answered, not the client's alias: honest about failover.
    model: res.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: toOpenAIFinish(res.finishReason) }],
    usage: toOpenAIUsage(res.usage),
  };
}
