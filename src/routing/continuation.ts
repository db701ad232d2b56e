/**
 * The request that asks another target to continue a partial answer after a
 * mid-stream failure: the partial text as a trailing assistant message
 * (prefill) where the provider continues it natively, otherwise followed by an
 * explicit continue instruction.
 */
import { CONTINUE_INSTRUCTION, type ChatRequest, type Message } from '../core/request.js';
import type { StreamEvent, TextEvent } from '../core/stream-event.js';

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

/** Text deltas joined into one string at a time: a string per delta held for a whole answer costs more than its text. */
const JOIN_PIECES = 256;

/**
 * What the client has received so far, as far as a continuation needs to know. It holds an object
 * per run of text, not per delta (issue #24: a long answer to a client that does not read must
 * not grow the gateway by an object per token).
 */
export class StreamTranscript {
  private readonly kept: StreamEvent[] = [];
  /** The text run being added to (the last of `kept`), and its deltas not yet joined onto it. */
  private run: TextEvent | undefined;
  private readonly pieces: string[] = [];
  private joinedText = '';
  /** Text deltas received (an estimate of the output tokens sent). */
  textEvents = 0;
  toolCalls = 0;
  finished = false;

  /**
   * The events received, each run of text deltas as one text event. A fresh encoder primed with
   * them ends in the state many deltas would leave it in: the openai-chat encoder keeps no state
   * per text, the anthropic-messages one only which block is open (a text block either way). The
   * openai-responses encoder numbers its frames, but it is never primed: there is no upstream in
   * that format, so it is never the pass-through side.
   */
  get events(): readonly StreamEvent[] {
    this.join();
    return this.kept;
  }

  /** All the text received. */
  get text(): string {
    this.join();
    return this.joinedText;
  }

  add(ev: StreamEvent): void {
    if (ev.type === 'text') {
      this.textEvents++;
      if (!this.run) {
        this.run = { type: 'text', text: '' };
        this.kept.push(this.run);
      }
      this.pieces.push(ev.text);
      if (this.pieces.length >= JOIN_PIECES) this.join();
      return;
    }
    this.join();
    this.run = undefined;
    this.kept.push(ev);
    if (ev.type === 'tool-call-start') this.toolCalls++;
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

  private join(): void {
    if (this.pieces.length === 0) return;
    const text = this.pieces.join('');
    this.pieces.length = 0;
    this.run!.text += text;
    this.joinedText += text;
  }
}
