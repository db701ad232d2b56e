/**
 * Test helpers: captured exchanges as the request path would fill them, and
 * upstream streams as bytes. Obvious fakes only (example.com, sk-test-FAKE…).
 */
import type { ChatRequest, Message } from '../core/request.js';
import { JournalCapture, type CaptureInit } from '../journal/capture.js';
import type { CapturedExchange } from '../journal/types.js';

export const T0 = Date.UTC(2024, 5, 4, 6, 49); // 2024-06-04 06:49 UTC

export const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });
export const assistant = (text: string): Message => ({ role: 'assistant', content: [{ type: 'text', text }] });
export const system = (text: string): Message => ({ role: 'system', content: [{ type: 'text', text }] });

export function chatRequest(messages: Message[], over: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'chat', messages, stream: false, includeUsage: false, ...over };
}

let n = 0;
// Ids count from 1 within a test file: give hand-made captures other names (req_streamed...).

/** A capture with one successful attempt answering `answer` (translated JSON). */
export function jsonExchange(messages: Message[], answer: string, over: Partial<CaptureInit> = {}, at = T0): CapturedExchange {
  const c = new JournalCapture({ requestId: `req_${++n}`, alias: 'chat', ingress: 'openai-chat', request: chatRequest(messages), startedAt: at, requestBytes: 100, retentionDays: 30, ...over });
  c.attempt('openai', 'gpt-4o', at);
  c.response({ id: 'chatcmpl-1', model: 'gpt-4o-2024-08-06', created: Math.floor(at / 1000), text: answer, toolCalls: [], finishReason: 'stop', usage: { inputTokens: 10, outputTokens: 5 } });
  c.end('complete', at + 800);
  return c.toRecord();
}

/** OpenAI chat stream bytes for these text deltas; `done` false = cut before finish_reason and [DONE]. */
export function openaiStream(deltas: string[], done = true, model = 'gpt-4o-2024-08-06'): Buffer {
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1717483740, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  let s = chunk({ role: 'assistant', content: '' }, null);
  for (const d of deltas) s += chunk({ content: d }, null);
  if (done) s += chunk({}, 'stop') + 'data: [DONE]\n\n';
  return Buffer.from(s);
}

/** Anthropic Messages stream bytes for these text deltas. */
export function anthropicStream(deltas: string[], model = 'claude-3-5-sonnet-20241022'): Buffer {
  const ev = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
  let s = ev('message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model, content: [], stop_reason: null, usage: { input_tokens: 12, output_tokens: 1 } } });
  s += ev('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  for (const d of deltas) s += ev('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: d } });
  s += ev('content_block_stop', { type: 'content_block_stop', index: 0 });
  s += ev('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7 } });
  s += ev('message_stop', { type: 'message_stop' });
  return Buffer.from(s);
}

/** Feed bytes to a capture in uneven reads, as a socket would deliver them. */
export function feed(c: JournalCapture, format: 'openai-chat' | 'anthropic-messages', bytes: Buffer, read = 37): void {
  for (let i = 0; i < bytes.length; i += read) c.bytes(format, bytes.subarray(i, i + read));
}
