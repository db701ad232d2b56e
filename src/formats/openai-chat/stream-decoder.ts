/**
 * Upstream `chat.completion.chunk` frames -> canonical stream events, following
 * the contract in core/stream-event.ts. OpenAI's stream (API reference,
 * "Streaming"): chunks with deltas, one with finish_reason, then — with
 * stream_options.include_usage — a chunk with `choices: []` and usage, then
 * `data: [DONE]`. So `finish` is emitted at [DONE], when usage is known.
 */
import { GatewayError } from '../../core/errors.js';
import type { ErrorCode } from '../../core/error-codes.js';
import type { FinishReason, Usage } from '../../core/response.js';
import type { StreamEvent } from '../../core/stream-event.js';
import type { SseFrame } from '../../sse/frame.js';
import type { StreamDecoder } from '../types.js';
import { skimDataFrame, skimDataFrameHead } from '../skim.js';
import { streamError } from './decode-error.js';
import { contentText } from './decode-response.js';
import { fromOpenAIFinish, fromOpenAIUsage } from './mapping.js';
import { isObject, type Json } from './validate.js';

function cut(code: ErrorCode, message: string, cause?: unknown): GatewayError {
  return new GatewayError({ code, message, status: 502, kind: 'cut', ...(cause === undefined ? {} : { cause }) });
}

export class OpenAIStreamDecoder implements StreamDecoder {
  private started = false;
  private finished = false;
  private sawDone = false;
  private finishReason: FinishReason | undefined;
  private usage: Usage | undefined;
  /** Upstream tool-call index -> canonical index (order of first appearance); made at the first tool call. */
  private calls: Map<number, number> | undefined;
  private lastCall = -1;
  /** Call id -> upstream index, for servers that omit `index` but repeat the id. */
  private ids: Map<string, number> | undefined;
  /** Keys for index-less calls: negative, so they never meet a real index (-1 means none yet). */
  private synthetic = -1;

  get done(): boolean {
    return this.sawDone;
  }

  readonly skim = skimDataFrame;
  readonly skimHead = skimDataFrameHead;

  push(frame: SseFrame): StreamEvent[] {
    if (this.sawDone) return [];
    const data = frame.data.trim();
    if (data === '[DONE]') {
      this.sawDone = true;
      if (!this.started) throw cut('upstream_stream_cut', 'The upstream ended the stream ([DONE]) without sending an answer.');
      // [DONE] without a finish_reason still is OpenAI's proper end; 'other' says we weren't told why.
      return this.finish(this.finishReason ?? 'other');
    }
    if (data === '') return [];
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch (e) {
      throw cut('upstream_malformed_frame', 'The upstream sent a stream frame that is not valid JSON.', e);
    }
    const err = streamError(json);
    if (err) throw err;
    if (!isObject(json)) throw cut('upstream_malformed_frame', 'The upstream sent a stream frame that is not a JSON object.');
    return this.chunk(json);
  }

  end(): StreamEvent[] {
    if (this.sawDone) return [];
    // Some compatible servers end the body after the finish chunk without [DONE]: the answer is complete.
    if (this.finishReason !== undefined) return this.finish(this.finishReason);
    throw cut('upstream_stream_cut', 'The upstream stream ended before the answer was complete (no finish_reason).');
  }

  private finish(reason: FinishReason): StreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    return [this.usage ? { type: 'finish', finishReason: reason, usage: this.usage } : { type: 'finish', finishReason: reason }];
  }

  private chunk(c: Json): StreamEvent[] {
    const out: StreamEvent[] = [];
    const choices = Array.isArray(c.choices) ? c.choices : [];
    const usage = fromOpenAIUsage(c.usage);
    if (usage) this.usage = usage;
    // Azure sends a first chunk with empty id/model and only prompt_filter_results: not the start yet.
    if (!this.started && (choices.length > 0 || usage)) {
      this.started = true;
      out.push({
        type: 'start',
        id: typeof c.id === 'string' ? c.id : '',
        model: typeof c.model === 'string' ? c.model : '',
        created: typeof c.created === 'number' ? c.created : Math.floor(Date.now() / 1000),
      });
    }
    const choice = choices.find((ch) => isObject(ch) && (ch.index === undefined || ch.index === 0));
    if (!isObject(choice)) return out;
    const delta = isObject(choice.delta) ? choice.delta : {};
    const text = contentText(delta.content);
    if (text !== '') out.push({ type: 'text', text });
    // A refusal is what the model said; stream it as text rather than dropping it.
    if (typeof delta.refusal === 'string' && delta.refusal !== '') out.push({ type: 'text', text: delta.refusal });
    if (Array.isArray(delta.tool_calls)) {
      for (const tc of delta.tool_calls) this.toolDelta(tc, out);
    }
    if (typeof choice.finish_reason === 'string' && choice.finish_reason !== '') this.finishReason = fromOpenAIFinish(choice.finish_reason);
    return out;
  }

  private toolDelta(raw: unknown, out: StreamEvent[]): void {
    if (!isObject(raw)) return;
    const fn = isObject(raw.function) ? raw.function : {};
    const id = typeof raw.id === 'string' && raw.id !== '' ? raw.id : undefined;
    const name = typeof fn.name === 'string' && fn.name !== '' ? fn.name : undefined;
    // Some compatible servers omit `index`: a fragment with a known id continues that call,
    // a new id opens a new call, and a fragment with neither continues the last one.
    const calls = (this.calls ??= new Map());
    const ids = (this.ids ??= new Map());
    const known = id === undefined ? undefined : ids.get(id);
    const upstreamIndex = typeof raw.index === 'number' ? raw.index : known ?? (id !== undefined ? --this.synthetic : this.lastCall);
    let index = calls.get(upstreamIndex);
    if (index === undefined) {
      if (name === undefined) throw cut('upstream_malformed_frame', 'The upstream streamed tool-call arguments before naming the tool.');
      index = calls.size;
      calls.set(upstreamIndex, index);
      if (id !== undefined) ids.set(id, upstreamIndex);
      out.push({ type: 'tool-call-start', index, id: id ?? `call_${index}`, name });
    }
    this.lastCall = upstreamIndex;
    const args = fn.arguments;
    const text = typeof args === 'string' ? args : args !== undefined && args !== null ? JSON.stringify(args) : '';
    if (text !== '') out.push({ type: 'tool-call-delta', index, args: text });
  }
}

export function createStreamDecoder(): StreamDecoder {
  return new OpenAIStreamDecoder();
}
