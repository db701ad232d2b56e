/**
 * What a drill's client takes from an answer in its own format: the text, whether the
 * answer ended properly (`[DONE]`, `message_stop`, `response.completed`), an error event,
 * and Switchyard's mark of a mid-stream switch (`"switchyard":{"resumed":true,...}`). Written
 * from the public wire formats, independently of src/formats, so the drill judges the
 * gateway the way a client does.
 */
import type { ClientFormat } from './scenario.js';

export interface AnswerRead {
  text: string;
  ended: boolean;
  error?: string;
  /** Mid-stream switches the gateway marked. */
  switches: { from: string; to: string; reason: string }[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The text of a whole (non-streamed) answer. */
export function readJsonAnswer(format: ClientFormat, body: unknown): AnswerRead {
  const out: AnswerRead = { text: '', ended: true, switches: [] };
  if (!isObj(body)) return { ...out, ended: false, error: 'the answer is not a JSON object' };
  if (format === 'openai-chat') {
    const choice = Array.isArray(body.choices) && isObj(body.choices[0]) ? body.choices[0] : undefined;
    const content = isObj(choice?.message) ? choice.message.content : undefined;
    out.text = typeof content === 'string' ? content : '';
  } else if (format === 'anthropic-messages') {
    out.text = (Array.isArray(body.content) ? body.content : []).map((b) => (isObj(b) && b.type === 'text' && typeof b.text === 'string' ? b.text : '')).join('');
  } else {
    const parts = (Array.isArray(body.output) ? body.output : []).flatMap((o) => (isObj(o) && Array.isArray(o.content) ? o.content : []));
    out.text = parts.map((c) => (isObj(c) && c.type === 'output_text' && typeof c.text === 'string' ? c.text : '')).join('');
  }
  return out;
}

/** Reads an SSE answer frame by frame; `onText` is told when text first arrives (time to first token). */
export class StreamReader {
  readonly read: AnswerRead = { text: '', ended: false, switches: [] };
  private buffer = '';
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly format: ClientFormat,
    private readonly onText: () => void,
  ) {}

  push(bytes: Uint8Array): void {
    this.buffer += this.decoder.decode(bytes, { stream: true });
    for (let end = this.frameEnd(); end !== -1; end = this.frameEnd()) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (this.buffer[end] === '\r' ? 4 : 2));
      this.frame(frame);
    }
  }

  private frameEnd(): number {
    const a = this.buffer.indexOf('\n\n');
    const b = this.buffer.indexOf('\r\n\r\n');
    return a === -1 ? b : b === -1 ? a : Math.min(a, b);
  }

  private frame(frame: string): void {
    let event = '';
    let data = '';
    for (const line of frame.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(5).replace(/^ /, '');
    }
    if (data === '') return;
    if (data === '[DONE]') {
      if (this.format === 'openai-chat') this.read.ended = true;
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      this.read.error ??= 'a frame that is not JSON';
      return;
    }
    if (!isObj(json)) return;
    const mark = json.switchyard;
    if (isObj(mark) && mark.resumed === true && typeof mark.from === 'string' && typeof mark.to === 'string') {
      const last = this.read.switches.at(-1);
      if (!last || last.from !== mark.from || last.to !== mark.to) this.read.switches.push({ from: mark.from, to: mark.to, reason: String(mark.reason ?? '') });
    }
    this.interpret(event || String(json.type ?? ''), json);
  }

  private interpret(type: string, json: Obj): void {
    if (type === 'error' || (this.format !== 'anthropic-messages' && isObj(json.error))) {
      const e = isObj(json.error) ? json.error : {};
      this.read.error ??= String(e.message ?? e.type ?? 'error event');
      return;
    }
    let text = '';
    if (this.format === 'openai-chat') {
      const choice = Array.isArray(json.choices) && isObj(json.choices[0]) ? json.choices[0] : undefined;
      const content = isObj(choice?.delta) ? choice.delta.content : undefined;
      if (typeof content === 'string') text = content;
    } else if (this.format === 'anthropic-messages') {
      if (type === 'message_stop') this.read.ended = true;
      else if (type === 'content_block_delta' && isObj(json.delta) && typeof json.delta.text === 'string') text = json.delta.text;
    } else if (type === 'response.completed') this.read.ended = true;
    else if (type === 'response.failed' || type === 'response.incomplete') this.read.error ??= type;
    else if (type === 'response.output_text.delta' && typeof json.delta === 'string') text = json.delta;
    if (text !== '') {
      if (this.read.text === '') this.onText();
      this.read.text += text;
    }
  }
}
