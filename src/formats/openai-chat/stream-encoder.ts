/**
 * Canonical stream events -> `chat.completion.chunk` SSE exactly as OpenAI
 * streams them (API reference, "The chat completion chunk object"):
 * a first chunk with delta.role, content / tool_calls deltas (id, type and name
 * only on a call's first fragment), a chunk with finish_reason and an empty
 * delta, then — only when the client set stream_options.include_usage — a chunk
 * with `choices: []` and the usage, then `data: [DONE]`.
 */
import type { GatewayError } from '../../core/errors.js';
import type { ChatRequest } from '../../core/request.js';
import type { Usage } from '../../core/response.js';
import type { StreamEvent, StreamMeta } from '../../core/stream-event.js';
import { encodeSseFrame } from '../../sse/frame.js';
import type { StreamEncoder } from '../types.js';
import { errorBody } from './encode-error.js';
import { toOpenAIFinish, toOpenAIUsage } from './mapping.js';
import type { OpenAIChunk } from './wire-types.js';

type Delta = OpenAIChunk['choices'][number]['delta'];

export class OpenAIStreamEncoder implements StreamEncoder {
  private id = '';
  private model = '';
  private created = 0;
  private started = false;
  private closed = false;
  private inputTokens: number | undefined;

  constructor(private readonly includeUsage: boolean) {}

  encode(ev: StreamEvent): string {
    if (this.closed) return '';
    switch (ev.type) {
      case 'start':
        if (this.started) {
          // A second start is a failover continuing this answer: keep the id the client
          // already has, but name the model that now really answers (honest about the switch).
          this.model = ev.model;
          return '';
        }
        this.started = true;
        this.id = ev.id;
        this.model = ev.model;
        this.created = ev.created;
        this.inputTokens = ev.inputTokens;
        return this.chunk({ role: 'assistant', content: '' });
      case 'text':
        return ev.text === '' ? '' : this.chunk({ content: ev.text }, null, ev.meta);
      case 'tool-call-start':
        return this.chunk({ tool_calls: [{ index: ev.index, id: ev.id, type: 'function', function: { name: ev.name, arguments: '' } }] });
      case 'tool-call-delta':
        return ev.args === '' ? '' : this.chunk({ tool_calls: [{ index: ev.index, function: { arguments: ev.args } }] });
      case 'finish': {
        let out = this.chunk({}, toOpenAIFinish(ev.finishReason), ev.meta);
        if (this.includeUsage) out += this.usageChunk(ev.usage ?? { inputTokens: this.inputTokens ?? 0, outputTokens: 0 }, ev.meta);
        return out;
      }
    }
  }

  end(): string {
    if (this.closed) return '';
    this.closed = true;
    return encodeSseFrame('[DONE]');
  }

  /**
   * The openai SDKs throw an APIError on a data chunk with an `error` field
   * (openai-node core/streaming.ts), so this is a real error to the client,
   * never a clean end. Nothing may follow it.
   */
  error(err: GatewayError): string {
    if (this.closed) return '';
    this.closed = true;
    return encodeSseFrame(JSON.stringify(errorBody(err)));
  }

  private base(): Omit<OpenAIChunk, 'choices'> {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model };
  }

  private chunk(delta: Delta, finishReason: string | null = null, meta?: StreamMeta): string {
    const c: OpenAIChunk = { ...this.base(), choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
    // With include_usage every chunk carries "usage": null until the final usage chunk, as OpenAI sends it.
    if (this.includeUsage) c.usage = null;
    return encodeSseFrame(JSON.stringify(meta ? { ...c, switchyard: meta } : c));
  }

  private usageChunk(u: Usage, meta?: StreamMeta): string {
    const c: OpenAIChunk = { ...this.base(), choices: [], usage: toOpenAIUsage(u) };
    return encodeSseFrame(JSON.stringify(meta ? { ...c, switchyard: meta } : c));
  }
}

export function createStreamEncoder(req: ChatRequest): StreamEncoder {
  return new OpenAIStreamEncoder(req.includeUsage);
}
