/**
 * The OpenAI Chat Completions wire shapes this format reads and writes, as
 * documented in the API reference (openai/openai-openapi, `CreateChatCompletionResponse`,
 * `CreateChatCompletionStreamResponse`, `CompletionUsage`, `Error`).
 * Only the fields the gateway uses; upstreams may send more.
 */

export interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number };
}

export interface OpenAIChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: 'assistant'; content: string | null; refusal: null; tool_calls?: OpenAIToolCall[] };
    logprobs: null;
    finish_reason: string;
  }>;
  usage: OpenAIUsage;
}

/** One streamed tool-call fragment: id/type/name only on the first fragment of each call. */
export interface OpenAIToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

export interface OpenAIChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: { role?: 'assistant'; content?: string | null; refusal?: string | null; tool_calls?: OpenAIToolCallDelta[] };
    logprobs: null;
    finish_reason: string | null;
  }>;
  usage?: OpenAIUsage | null;
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}
