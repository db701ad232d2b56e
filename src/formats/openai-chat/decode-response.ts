/** An upstream `chat.completion` body -> canonical ChatResponse (first choice; the gateway asks for n=1). */
import { gatewayError, GatewayError } from '../../core/errors.js';
import type { ToolCall } from '../../core/request.js';
import { emptyUsage, type ChatResponse } from '../../core/response.js';
import { fromOpenAIFinish, fromOpenAIUsage } from './mapping.js';
import { isObject } from './validate.js';

function malformed(what: string): GatewayError {
  return gatewayError('upstream_malformed', `The upstream's chat completion is malformed: ${what}.`);
}

/** Message content as text: a string, null, or (some compatible servers) an array of text parts. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((p) => (isObject(p) && typeof p.text === 'string' ? p.text : '')).join('');
  }
  return '';
}

function toolCalls(raw: unknown): ToolCall[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((c): ToolCall[] => {
    if (!isObject(c) || !isObject(c.function) || typeof c.function.name !== 'string') return [];
    const args = c.function.arguments;
    return [{
      id: typeof c.id === 'string' ? c.id : '',
      name: c.function.name,
      // Some compatible servers (older Ollama) send arguments as an object, not JSON text.
      arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
    }];
  });
}

export function decodeResponse(body: unknown): ChatResponse {
  if (!isObject(body)) throw malformed('the body is not a JSON object');
  const choices = body.choices;
  if (!Array.isArray(choices) || choices.length === 0 || !isObject(choices[0])) throw malformed('it has no choices');
  const choice = choices[0];
  const message = isObject(choice.message) ? choice.message : {};
  const calls = toolCalls(message.tool_calls);
  let text = contentText(message.content);
  // A refusal is what the model said; surface it rather than an empty answer.
  if (text === '' && typeof message.refusal === 'string') text = message.refusal;
  return {
    id: typeof body.id === 'string' ? body.id : '',
    model: typeof body.model === 'string' ? body.model : '',
    created: typeof body.created === 'number' ? body.created : Math.floor(Date.now() / 1000),
    text,
    toolCalls: calls,
    finishReason: fromOpenAIFinish(choice.finish_reason),
    usage: fromOpenAIUsage(body.usage) ?? emptyUsage(),
  };
}
