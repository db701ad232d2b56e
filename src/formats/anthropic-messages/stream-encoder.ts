/**
 * Canonical stream events -> Anthropic's SSE event sequence (Messages streaming reference):
 * message_start (empty content, usage) , ping, then per content block
 * content_block_start / content_block_delta* / content_block_stop, then
 * message_delta (stop_reason, stop_sequence, usage) and message_stop.
 * Every frame is `event: <type>` + `data: {"type":"<type>",...}`.
 *
 * Anthropic states the prompt's size in message_start, before any text; OpenAI reports it only at
 * the end. A translated stream whose upstream has not said it yet carries an estimate there
 * (core/token-estimate.ts), labelled `"switchyard": {"token_count": "estimated"}` as count_tokens
 * labels its estimates (`x-switchyard-token-count: estimated`), and the exact figure in
 * message_delta's usage once the upstream reported it: clients that read input tokens from
 * message_start (LangChain's ChatAnthropic) saw 0 before (issue #24).
 */
import type { GatewayError } from '../../core/errors.js';
import type { ChatRequest } from '../../core/request.js';
import type { StreamEvent } from '../../core/stream-event.js';
import { estimateInputTokens } from '../../core/token-estimate.js';
import { encodeSseFrame } from '../../sse/frame.js';
import type { StreamEncoder } from '../types.js';
import { anthropicErrorShape } from './errors.js';
import { anthropicMessageId, anthropicUsage, stopReasonFromFinish } from './mapping.js';

function frame(type: string, fields: Record<string, unknown> = {}): string {
  return encodeSseFrame(JSON.stringify({ type, ...fields }), type);
}

/** The in-stream error event (DESIGN.md principle 6: an error after headers is a protocol event). */
export function anthropicErrorFrame(err: GatewayError): string {
  const { type } = anthropicErrorShape(err);
  return frame('error', { error: { type, message: err.message } });
}

export class AnthropicStreamEncoder implements StreamEncoder {
  private started = false;
  private finished = false;
  private nextBlock = 0;
  /** Index of the open content block and what it is, if any. */
  private open: { index: number; kind: 'text' | 'tool' } | undefined;
  /** Canonical tool-call index -> Anthropic content block index. */
  private toolBlocks = new Map<number, number>();
  private inputTokens = 0;

  constructor(private readonly req: ChatRequest) {}

  encode(ev: StreamEvent): string {
    if (this.finished) return '';
    let out = '';
    if (ev.type !== 'start' && !this.started) out += this.start({ type: 'start', id: 'msg_gateway', model: this.req.model, created: 0 });
    switch (ev.type) {
      case 'start':
        return this.started ? '' : this.start(ev);
      case 'text':
        if (ev.text === '') return out;
        if (this.open?.kind !== 'text') out += this.openBlock('text', { type: 'text', text: '' });
        return out + frame('content_block_delta', { index: this.open!.index, delta: { type: 'text_delta', text: ev.text }, ...(ev.meta ? { switchyard: ev.meta } : {}) });
      case 'tool-call-start':
        out += this.openBlock('tool', { type: 'tool_use', id: ev.id, name: ev.name, input: {} });
        this.toolBlocks.set(ev.index, this.open!.index);
        return out;
      case 'tool-call-delta': {
        const index = this.toolBlocks.get(ev.index);
        // A delta for an unannounced call breaks the StreamEvent contract; nothing sane to send.
        if (index === undefined || ev.args === '') return out;
        return out + frame('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: ev.args } });
      }
      case 'finish': {
        out += this.closeBlock();
        this.finished = true;
        // Anthropic's final counts; input is repeated here when known, as the current API does.
        const usage = ev.usage ? anthropicUsage(ev.usage) : { output_tokens: 0 };
        return (
          out +
          frame('message_delta', {
            delta: { stop_reason: stopReasonFromFinish(ev.finishReason), stop_sequence: ev.stopSequence ?? null },
            usage,
            ...(ev.meta ? { switchyard: ev.meta } : {}),
          }) +
          frame('message_stop')
        );
      }
    }
  }

  end(): string {
    return '';
  }

  error(err: GatewayError): string {
    this.finished = true;
    return anthropicErrorFrame(err);
  }

  private start(ev: Extract<StreamEvent, { type: 'start' }>): string {
    this.started = true;
    const exact = ev.inputTokens;
    this.inputTokens = exact ?? estimateInputTokens(this.req);
    const message = {
      id: anthropicMessageId(ev.id),
      type: 'message',
      role: 'assistant',
      model: ev.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // Like Anthropic: the prompt size up front, output counted so far (final count comes in message_delta).
      usage: { input_tokens: this.inputTokens, output_tokens: 1 },
    };
    return frame('message_start', exact === undefined ? { message, switchyard: { token_count: 'estimated' } } : { message }) + frame('ping');
  }

  private openBlock(kind: 'text' | 'tool', block: Record<string, unknown>): string {
    const out = this.closeBlock();
    const index = this.nextBlock++;
    this.open = { index, kind };
    return out + frame('content_block_start', { index, content_block: block });
  }

  private closeBlock(): string {
    if (!this.open) return '';
    const index = this.open.index;
    this.open = undefined;
    return frame('content_block_stop', { index });
  }
}
