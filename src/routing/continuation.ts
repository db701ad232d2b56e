/**
 * The request that asks another target to continue a partial answer after a
 * mid-stream failure: the partial text as a trailing assistant message
 * (prefill) where the provider continues it natively, otherwise followed by an
 * explicit continue instruction.
 */
import { CONTINUE_INSTRUCTION, type ChatRequest, type Message } from '../core/request.js';
import type { StreamEvent } from '../core/stream-event.js';

export function continuationRequest(req: ChatRequest, partial: string, prefill: boolean, partialTokens: number): ChatRequest {
  // Anthropic rejects a final assistant message ending in whitespace; the model re-adds it.
  const text = prefill ? partial.trimEnd() : partial;
  if (text === '') return req;
  const messages: Message[] = [...req.messages, { role: 'assistant', content: [{ type: 'text', text }] }];
  if (!prefill) messages.push({ role: 'user', content: [{ type: 'text', text: CONTINUE_INSTRUCTION }] });
  const out: ChatRequest = { ...req, messages };
  if (req.maxTokens !== undefined) out.maxTokens = Math.max(1, req.maxTokens - partialTokens);
  return out;
}

/** What the client has received so far, as far as a continuation needs to know. */
export class StreamTranscript {
  readonly events: StreamEvent[] = [];
  text = '';
  textEvents = 0;
  toolCalls = 0;
  finished = false;

  add(ev: StreamEvent): void {
    this.events.push(ev);
    if (ev.type === 'text') {
      this.text += ev.text;
      this.textEvents++;
    } else if (ev.type === 'tool-call-start') this.toolCalls++;
    else if (ev.type === 'finish') this.finished = true;
  }

  addAll(events: readonly StreamEvent[]): void {
    for (const ev of events) this.add(ev);
  }

  /**
   * A continuation is correct only for plain text: half a tool call's JSON can't
   * be continued reliably by another model, and after `finish` nothing is missing.
   */
  resumable(): boolean {
    return this.toolCalls === 0 && !this.finished;
  }
}
