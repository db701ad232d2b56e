/**
 * Upstream Anthropic SSE frames -> canonical stream events (contract in
 * src/core/stream-event.ts). Anthropic's sequence: message_start, then content
 * blocks (start / delta* / stop), message_delta, message_stop; `ping` may
 * appear anywhere and `error` may replace the rest. Unknown event types are
 * ignored, as Anthropic's versioning policy says new ones may be added.
 */
import { gatewayError } from '../../core/errors.js';
import type { FinishReason } from '../../core/response.js';
import type { StreamEvent } from '../../core/stream-event.js';
import type { SseFrame } from '../../sse/frame.js';
import type { StreamDecoder } from '../types.js';
import { anthropicError, statusForAnthropicType } from './errors.js';
import { finishFromStopReason, inputFromAnthropicUsage } from './mapping.js';
import { skimEventFrame } from '../skim.js';
import { anthropicSkimHead } from './skim-head.js';

type Obj = Record<string, unknown>;

/** Skimmed pass-through frames: `message_stop` is the proper end; `error` events are always decoded. */
const SKIM = skimEventFrame('message_stop', ['error']);
/** Before the first token: frames that carry none are judged on bytes too (skim-head.ts). */
const SKIM_HEAD = anthropicSkimHead(SKIM);

function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null ? (v as Obj) : {};
}

export class AnthropicStreamDecoder implements StreamDecoder {
  private finished = false;
  private inputTokens = 0;
  private cachedInputTokens: number | undefined;
  private outputTokens = 0;
  private stopReason: FinishReason = 'other';
  private stopSequence: string | undefined;
  /** Anthropic content block index -> canonical tool-call index (position among tool calls). */
  private toolByBlock = new Map<number, number>();
  private toolCount = 0;

  get done(): boolean {
    return this.finished;
  }

  readonly skim = SKIM;
  readonly skimHead = SKIM_HEAD;

  push(frame: SseFrame): StreamEvent[] {
    if (frame.event === 'ping' || (frame.data.trim() === '' && frame.event !== 'error')) return [];
    let data: Obj;
    try {
      data = obj(JSON.parse(frame.data));
    } catch (e) {
      throw gatewayError('upstream_malformed_frame', `The Anthropic upstream sent a stream frame that is not valid JSON${frame.event ? ` (event: ${frame.event})` : ''}.`, { cause: e });
    }
    const type = typeof data.type === 'string' ? data.type : frame.event;
    switch (type) {
      case 'message_start': return this.onStart(obj(data.message));
      case 'content_block_start': return this.onBlockStart(Number(data.index), obj(data.content_block));
      case 'content_block_delta': return this.onDelta(Number(data.index), obj(data.delta));
      case 'message_delta': {
        const delta = obj(data.delta);
        this.stopReason = finishFromStopReason(delta.stop_reason);
        if (typeof delta.stop_sequence === 'string') this.stopSequence = delta.stop_sequence;
        const usage = obj(data.usage);
        if (typeof usage.output_tokens === 'number') this.outputTokens = usage.output_tokens;
        // Newer API versions repeat the (cumulative) input counts here; they win when present.
        if (typeof usage.input_tokens === 'number') this.setInput(usage);
        return [];
      }
      case 'message_stop': {
        if (this.finished) return [];
        this.finished = true;
        const usage = { inputTokens: this.inputTokens, outputTokens: this.outputTokens, ...(this.cachedInputTokens === undefined ? {} : { cachedInputTokens: this.cachedInputTokens }) };
        return [{ type: 'finish', finishReason: this.stopReason, usage, ...(this.stopSequence === undefined ? {} : { stopSequence: this.stopSequence }) }];
      }
      case 'error': {
        const err = obj(data.error);
        const errType = typeof err.type === 'string' ? err.type : undefined;
        throw anthropicError({
          status: statusForAnthropicType(errType),
          message: typeof err.message === 'string' ? err.message : 'stream error',
          ...(errType === undefined ? {} : { type: errType }),
          ...(typeof data.request_id === 'string' ? { requestId: data.request_id } : {}),
        });
      }
      default:
        return []; // content_block_stop, ping, and event types added after this was written
    }
  }

  end(): StreamEvent[] {
    if (this.finished) return [];
    throw gatewayError('upstream_stream_cut', 'The Anthropic upstream ended the stream without message_stop; the answer is incomplete.');
  }

  private setInput(usage: Obj): void {
    const u = inputFromAnthropicUsage(usage);
    this.inputTokens = u.inputTokens;
    this.cachedInputTokens = u.cachedInputTokens;
  }

  private onStart(message: Obj): StreamEvent[] {
    this.setInput(obj(message.usage));
    const usage = obj(message.usage);
    if (typeof usage.output_tokens === 'number') this.outputTokens = usage.output_tokens;
    return [{
      type: 'start',
      id: typeof message.id === 'string' ? message.id : '',
      model: typeof message.model === 'string' ? message.model : '',
      created: Math.floor(Date.now() / 1000),
      inputTokens: this.inputTokens,
    }];
  }

  private onBlockStart(index: number, block: Obj): StreamEvent[] {
    if (block.type === 'text') return typeof block.text === 'string' && block.text !== '' ? [{ type: 'text', text: block.text }] : [];
    if (block.type !== 'tool_use') return []; // thinking, redacted_thinking, server tool blocks: no canonical form
    const toolIndex = this.toolCount++;
    this.toolByBlock.set(index, toolIndex);
    const events: StreamEvent[] = [{ type: 'tool-call-start', index: toolIndex, id: String(block.id ?? ''), name: String(block.name ?? '') }];
    // Anthropic starts tool_use with input {} and streams the JSON; a non-empty input up front is kept.
    const input = block.input;
    if (typeof input === 'object' && input !== null && Object.keys(input).length > 0) {
      events.push({ type: 'tool-call-delta', index: toolIndex, args: JSON.stringify(input) });
    }
    return events;
  }

  private onDelta(index: number, delta: Obj): StreamEvent[] {
    if (delta.type === 'text_delta') return typeof delta.text === 'string' && delta.text !== '' ? [{ type: 'text', text: delta.text }] : [];
    if (delta.type === 'input_json_delta') {
      const toolIndex = this.toolByBlock.get(index);
      const args = delta.partial_json;
      if (toolIndex === undefined || typeof args !== 'string' || args === '') return [];
      return [{ type: 'tool-call-delta', index: toolIndex, args }];
    }
    return []; // thinking_delta, signature_delta, citations_delta
  }
}
