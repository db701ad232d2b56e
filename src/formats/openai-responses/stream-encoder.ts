/**
 * Canonical stream events -> the Responses API's semantic SSE events (API
 * reference "Streaming events"), each frame `event: <type>` + data carrying the
 * same `type` and a `sequence_number` counting from 0:
 *
 *   response.created, response.in_progress,
 *   per text run:  output_item.added (message) -> content_part.added ->
 *                  output_text.delta* -> output_text.done -> content_part.done -> output_item.done
 *   per tool call: output_item.added (function_call, arguments '') ->
 *                  function_call_arguments.delta* -> function_call_arguments.done -> output_item.done
 *   response.completed (or response.incomplete) with the full response and usage.
 *
 * openai-node's ResponseStream builds its snapshot from these (ResponseAccumulator:
 * response.created must come first; deltas index into items announced by
 * output_item.added / content_part.added), and `finalResponse()` is the object
 * of the last lifecycle event, so that object carries the complete output.
 */
import type { GatewayError } from '../../core/errors.js';
import { randomId } from '../../core/ids.js';
import type { ChatRequest } from '../../core/request.js';
import type { FinishEvent, StreamEvent, StreamMeta } from '../../core/stream-event.js';
import { encodeSseFrame } from '../../sse/frame.js';
import type { StreamEncoder } from '../types.js';
import { errorEventData, failedResponseCode } from './errors.js';
import { incompleteReason, outputText, responseObject, type FunctionCallItem, type MessageItem, type OutputItem, type ResponseInit } from './response-object.js';

export class ResponsesStreamEncoder implements StreamEncoder {
  private readonly id: string;
  private seq = 0;
  private model = '';
  private createdAt = 0;
  private inputTokens: number | undefined;
  private started = false;
  private closed = false;
  private readonly output: OutputItem[] = [];
  /** The message item text is being written into, if any. */
  private message: { item: MessageItem; index: number } | undefined;
  /** function_call items by canonical tool-call index; at most one is open. */
  private readonly calls = new Map<number, { item: FunctionCallItem; index: number; open: boolean }>();

  constructor(private readonly req: ChatRequest) {
    this.id = req.responseId ?? randomId('resp_');
  }

  encode(ev: StreamEvent): string {
    if (this.closed) return '';
    switch (ev.type) {
      case 'start':
        // Responses ids are resp_…; the upstream's own id has no place on this wire.
        return this.start(ev.model, ev.created, ev.inputTokens);
      case 'text':
        return this.text(ev.text, ev.meta);
      case 'tool-call-start':
        return this.callStart(ev.index, ev.id, ev.name);
      case 'tool-call-delta':
        return this.callDelta(ev.index, ev.args);
      case 'finish':
        return this.finish(ev);
    }
  }

  /** response.completed / response.incomplete already ended the stream; Responses has no [DONE]. */
  end(): string {
    this.closed = true;
    return '';
  }

  /**
   * An `error` event (see errors.ts for why it also nests `error`), then, when
   * the client already holds a response, `response.failed` so readers that wait
   * for a terminal lifecycle event get one. Nothing may follow.
   */
  error(err: GatewayError): string {
    if (this.closed) return '';
    this.closed = true;
    let out = encodeSseFrame(JSON.stringify(errorEventData(err, this.seq++)), 'error');
    if (this.started) {
      for (const item of this.output) if (item.status === 'in_progress') item.status = 'incomplete';
      out += this.lifecycle('response.failed', { status: 'failed', error: { code: failedResponseCode(err), message: err.message } });
    }
    return out;
  }

  private start(model: string, created: number, inputTokens: number | undefined): string {
    // A second start is a failover continuing this answer: the client keeps its response id, the
    // model field names who answers now (honest about the switch, as in the openai-chat encoder).
    this.model = model;
    if (this.started) return '';
    this.started = true;
    this.createdAt = created;
    this.inputTokens = inputTokens;
    return this.lifecycle('response.created', { status: 'in_progress' }) + this.lifecycle('response.in_progress', { status: 'in_progress' });
  }

  private text(text: string, meta?: StreamMeta): string {
    if (text === '') return '';
    let out = '';
    if (!this.message) {
      out += this.closeCalls();
      const item: MessageItem = { id: randomId('msg_'), type: 'message', status: 'in_progress', role: 'assistant', content: [] };
      const index = this.output.push(item) - 1;
      this.message = { item, index };
      out += this.frame('response.output_item.added', { output_index: index, item: structuredClone(item) });
      item.content.push(outputText(''));
      out += this.frame('response.content_part.added', { item_id: item.id, output_index: index, content_index: 0, part: outputText('') });
    }
    const { item, index } = this.message;
    item.content[0]!.text += text;
    return out + this.frame('response.output_text.delta', { item_id: item.id, output_index: index, content_index: 0, delta: text, logprobs: [], ...(meta ? { switchyard: meta } : {}) });
  }

  private callStart(toolIndex: number, callId: string, name: string): string {
    // Output items are sequential on this wire: the previous item is done before the next is added.
    let out = this.closeMessage('completed') + this.closeCalls();
    const item: FunctionCallItem = { id: randomId('fc_'), type: 'function_call', status: 'in_progress', arguments: '', call_id: callId, name };
    const index = this.output.push(item) - 1;
    this.calls.set(toolIndex, { item, index, open: true });
    out += this.frame('response.output_item.added', { output_index: index, item: structuredClone(item) });
    return out;
  }

  private callDelta(toolIndex: number, args: string): string {
    const call = this.calls.get(toolIndex);
    if (!call || args === '') return '';
    call.item.arguments += args;
    // A fragment for a call already closed (upstreams stream calls one after another, so this
    // is rare) cannot be streamed any more; it is kept in the item, so the final response
    // object, which the SDK's finalResponse() returns, carries the true arguments.
    if (!call.open) return '';
    return this.frame('response.function_call_arguments.delta', { item_id: call.item.id, output_index: call.index, delta: args });
  }

  private finish(ev: FinishEvent): string {
    const reason = incompleteReason(ev.finishReason);
    // The item being written when the answer was cut short is incomplete; earlier ones are done.
    const lastIndex = this.output.length - 1;
    let out = this.closeMessage(reason && this.message?.index === lastIndex ? 'incomplete' : 'completed');
    out += this.closeCalls(reason ? lastIndex : -1);
    this.closed = true;
    const usage = ev.usage ?? { inputTokens: this.inputTokens ?? 0, outputTokens: 0 };
    if (reason) return out + this.lifecycle('response.incomplete', { status: 'incomplete', incompleteReason: reason, usage }, ev.meta);
    return out + this.lifecycle('response.completed', { status: 'completed', usage }, ev.meta);
  }

  private closeMessage(status: 'completed' | 'incomplete'): string {
    if (!this.message) return '';
    const { item, index } = this.message;
    this.message = undefined;
    item.status = status;
    const part = item.content[0]!;
    return (
      this.frame('response.output_text.done', { item_id: item.id, output_index: index, content_index: 0, text: part.text, logprobs: [] }) +
      this.frame('response.content_part.done', { item_id: item.id, output_index: index, content_index: 0, part: structuredClone(part) }) +
      this.frame('response.output_item.done', { output_index: index, item: structuredClone(item) })
    );
  }

  /** Close the open function call, if any; the one at `incompleteIndex` was cut short. */
  private closeCalls(incompleteIndex = -1): string {
    let out = '';
    const open = [...this.calls.values()].filter((c) => c.open).sort((a, b) => a.index - b.index);
    for (const c of open) {
      c.open = false;
      c.item.status = c.index === incompleteIndex ? 'incomplete' : 'completed';
      out += this.frame('response.function_call_arguments.done', { item_id: c.item.id, output_index: c.index, name: c.item.name, arguments: c.item.arguments });
      out += this.frame('response.output_item.done', { output_index: c.index, item: structuredClone(c.item) });
    }
    return out;
  }

  private lifecycle(type: string, r: Partial<ResponseInit> & Pick<ResponseInit, 'status'>, meta?: StreamMeta): string {
    const response = responseObject({
      id: this.id,
      createdAt: this.createdAt,
      model: this.model,
      output: structuredClone(this.output),
      usage: null,
      req: this.req,
      ...r,
    });
    return this.frame(type, meta ? { response, switchyard: meta } : { response });
  }

  private frame(type: string, fields: Record<string, unknown>): string {
    return encodeSseFrame(JSON.stringify({ type, sequence_number: this.seq++, ...fields }), type);
  }
}

export function createResponsesStreamEncoder(req: ChatRequest): StreamEncoder {
  return new ResponsesStreamEncoder(req);
}
