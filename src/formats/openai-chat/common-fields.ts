/**
 * Request fields that Chat Completions and Responses spell and validate the
 * same way (OpenAI API reference): decoded once for both dialects.
 */
import type { ChatRequest } from '../../core/request.js';
import { optBoolean, optNumber, optString, type Json } from './validate.js';

export function decodeCommonFields(body: Json, req: ChatRequest): void {
  const parallel = optBoolean(body.parallel_tool_calls, 'parallel_tool_calls');
  if (parallel !== undefined) req.parallelToolCalls = parallel;
  const temperature = optNumber(body.temperature, 'temperature', 0, 2);
  if (temperature !== undefined) req.temperature = temperature;
  const topP = optNumber(body.top_p, 'top_p', 0, 1);
  if (topP !== undefined) req.topP = topP;
  const user = optString(body.user, 'user');
  if (user !== undefined) req.user = user;
}
