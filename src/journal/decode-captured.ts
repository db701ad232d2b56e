/**
 * The answer a client received, from what the request path kept: canonical
 * events (translated streams), a canonical response (translated JSON), or the
 * upstream's own bytes forwarded unchanged (pass-through). Bytes are decoded
 * here, in the writer, after the stream ended: the hot path never decodes a
 * pass-through stream for the journal (issue #26). Decoding is forgiving: a cut
 * stream gives the part that arrived, without a finish reason.
 */
import type { ToolCall } from '../core/request.js';
import type { ChatResponse, FinishReason, Usage } from '../core/response.js';
import type { StreamEvent } from '../core/stream-event.js';
import { anthropicMessages } from '../formats/anthropic-messages/index.js';
import { gemini } from '../formats/gemini/index.js';
import { openaiChat } from '../formats/openai-chat/index.js';
import type { EgressFormat, FormatName } from '../formats/types.js';
import { SseParser } from '../sse/parser.js';

export interface DecodedAnswer {
  text: string;
  toolCalls: ToolCall[];
  /** Absent when the answer did not end properly. */
  finishReason?: FinishReason;
  usage?: Usage;
  model?: string;
}

/** The formats whose upstream bytes can be forwarded as they are: those with a decoder. */
const EGRESS: Partial<Record<FormatName, EgressFormat>> = {
  'openai-chat': openaiChat,
  'anthropic-messages': anthropicMessages,
  gemini,
};

function egressOf(format: FormatName): EgressFormat {
  const f = EGRESS[format];
  if (!f) throw new Error(`the ${format} format has no upstream decoder, so its bytes cannot be journaled as they are; capture events instead`);
  return f;
}

/** Folds canonical events into an answer, in the order the stream contract guarantees. */
export class AnswerBuilder {
  text = '';
  private readonly calls: ToolCall[] = [];
  private readonly byIndex = new Map<number, ToolCall>();
  private finishReason: FinishReason | undefined;
  private usage: Usage | undefined;
  private inputTokens: number | undefined;
  private model: string | undefined;

  add(events: readonly StreamEvent[]): void {
    for (const ev of events) {
      switch (ev.type) {
        case 'start':
          this.model = ev.model || this.model;
          this.inputTokens = ev.inputTokens;
          break;
        case 'text':
          this.text += ev.text;
          break;
        case 'tool-call-start': {
          const call = { id: ev.id, name: ev.name, arguments: '' };
          this.byIndex.set(ev.index, call);
          this.calls.push(call);
          break;
        }
        case 'tool-call-delta': {
          const call = this.byIndex.get(ev.index);
          if (call) call.arguments += ev.args;
          break;
        }
        case 'finish':
          this.finishReason = ev.finishReason;
          if (ev.usage) this.usage = ev.usage;
          break;
      }
    }
  }

  result(): DecodedAnswer {
    const out: DecodedAnswer = { text: this.text, toolCalls: this.calls };
    if (this.finishReason) out.finishReason = this.finishReason;
    const usage = this.usage ?? (this.inputTokens === undefined ? undefined : { inputTokens: this.inputTokens, outputTokens: 0 });
    if (usage) out.usage = usage;
    if (this.model) out.model = this.model;
    return out;
  }
}

export function foldEvents(events: readonly StreamEvent[]): DecodedAnswer {
  const b = new AnswerBuilder();
  b.add(events);
  return b.result();
}

/** A pass-through SSE stream's bytes as the client received them (possibly cut short). */
export function decodeCapturedStream(format: FormatName, bytes: Uint8Array): DecodedAnswer {
  const decoder = egressOf(format).createStreamDecoder();
  const parser = new SseParser();
  const b = new AnswerBuilder();
  try {
    for (const frame of [...parser.push(bytes), ...parser.flush()]) b.add(decoder.push(frame));
    b.add(decoder.end());
  } catch {
    // A cut or malformed stream: the client got what was decoded before it, and no finish.
  }
  return b.result();
}

/** A pass-through JSON body as the client received it. */
export function decodeCapturedBody(format: FormatName, bytes: Uint8Array): DecodedAnswer {
  return fromResponse(egressOf(format).decodeResponse(JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))));
}

export function fromResponse(r: ChatResponse): DecodedAnswer {
  return { text: r.text, toolCalls: r.toolCalls, finishReason: r.finishReason, usage: r.usage, model: r.model };
}
