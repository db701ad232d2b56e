/**
 * Canonical ChatResponse -> a Responses API `response` object: a `message`
 * item when there is text, then one `function_call` item per tool call (the
 * order the API itself uses). `length` becomes status 'incomplete' with
 * incomplete_details.reason 'max_output_tokens'.
 */
import { randomId } from '../../core/ids.js';
import type { ChatRequest } from '../../core/request.js';
import type { ChatResponse } from '../../core/response.js';
import { incompleteReason, outputText, responseObject, type ItemStatus, type OutputItem } from './response-object.js';

export function encodeResponsesResponse(res: ChatResponse, req: ChatRequest): Record<string, unknown> {
  const reason = incompleteReason(res.finishReason);
  const output: OutputItem[] = [];
  if (res.text !== '') {
    output.push({ id: randomId('msg_'), type: 'message', status: 'completed', role: 'assistant', content: [outputText(res.text)] });
  }
  for (const c of res.toolCalls) {
    output.push({ id: randomId('fc_'), type: 'function_call', status: 'completed', arguments: c.arguments, call_id: c.id, name: c.name });
  }
  // Cut short: the last item is the one that was still being written.
  const last = output[output.length - 1];
  if (reason && last) last.status = 'incomplete' satisfies ItemStatus;
  return responseObject({
    id: req.responseId ?? randomId('resp_'),
    createdAt: res.created,
    model: res.model,
    status: reason ? 'incomplete' : 'completed',
    output,
    usage: res.usage,
    req,
    ...(reason ? { incompleteReason: reason } : {}),
  });
}
