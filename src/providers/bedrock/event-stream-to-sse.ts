/**
 * Bedrock's InvokeModelWithResponseStream body -> Anthropic SSE bytes, so the Anthropic stream
 * decoder (and same-format forwarding, skimming and replay) works on Bedrock streams unchanged.
 *
 * The body is AWS event-stream framing (binary messages: total length, headers length, prelude
 * CRC, headers, payload, message CRC), decoded by @smithy/core's EventStreamCodec, which checks
 * both CRCs. Each `chunk` event's payload is `{"bytes":"<base64>"}` (plus a random-length `p`
 * padding field) whose bytes are one Anthropic stream event as JSON: it becomes
 * `event: <type>\ndata: <json>\n\n`, exactly what Anthropic's own API sends. An exception message
 * (`:message-type: exception`, e.g. throttlingException, modelStreamErrorException) or an error
 * message (`:message-type: error`) ends the stream with the typed error; events of types added
 * later are skipped.
 */
import { EventStreamCodec, type Message } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';
import { GatewayError } from '../../core/errors.js';
import { encodeSseFrame } from '../../sse/frame.js';
import type { ByteTranscoder } from '../body-source.js';
import { bedrockError } from './bedrock-errors.js';

const EMPTY = Buffer.alloc(0);
/** The event-stream limit on one message (16 MiB of payload plus headers): beyond it the stream is broken, not slow. */
const MAX_MESSAGE_BYTES = 16 * 1048576 + 128 * 1024;
/** Prelude (8) + prelude CRC (4) + message CRC (4). */
const MIN_MESSAGE_BYTES = 16;
const TYPE_AT_START = /^\s*\{\s*"type"\s*:\s*"([A-Za-z_]+)"/;

function header(m: Message, name: string): string | undefined {
  const h = m.headers[name];
  return h && (h.type === 'string' || h.type === 'binary') ? (typeof h.value === 'string' ? h.value : toUtf8(h.value)) : undefined;
}

export class EventStreamToSse implements ByteTranscoder {
  private readonly codec = new EventStreamCodec(toUtf8, fromUtf8);
  private pending: Buffer = EMPTY;
  failure: GatewayError | undefined;

  constructor(private readonly provider: string) {}

  push(chunk: Buffer): Buffer {
    if (this.failure) return EMPTY;
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let out = '';
    let at = 0;
    while (buf.length - at >= 4) {
      const total = buf.readUInt32BE(at);
      if (total < MIN_MESSAGE_BYTES || total > MAX_MESSAGE_BYTES) {
        this.failure = this.malformed(`a message length of ${total} bytes`);
        break;
      }
      if (buf.length - at < total) break;
      const bytes = buf.subarray(at, at + total);
      at += total;
      try {
        out += this.frame(this.codec.decode(bytes));
      } catch (e) {
        this.failure = e instanceof GatewayError ? e : this.malformed(e instanceof Error ? e.message : 'an unreadable message');
        break;
      }
    }
    // A copy: the rest of one read must not keep the whole read alive.
    this.pending = this.failure || at === buf.length ? EMPTY : Buffer.from(buf.subarray(at));
    return out === '' ? EMPTY : Buffer.from(out);
  }

  end(): GatewayError | undefined {
    if (this.failure || this.pending.length === 0) return undefined;
    return new GatewayError({
      code: 'upstream_stream_cut',
      message: `${this.provider} closed the stream in the middle of an event-stream message; the answer is incomplete.`,
      status: 502,
      kind: 'cut',
      provider: this.provider,
    });
  }

  /** One decoded message as SSE text ('' for none); throws the typed error of an exception or error message. */
  private frame(m: Message): string {
    const type = header(m, ':message-type') ?? 'event';
    if (type === 'exception') {
      const name = header(m, ':exception-type');
      let message = toUtf8(m.body);
      try {
        const j = JSON.parse(message) as { message?: unknown; Message?: unknown };
        const text = j.message ?? j.Message;
        if (typeof text === 'string') message = text;
      } catch {
        // The payload is the message itself.
      }
      throw bedrockError({ name, message, provider: this.provider });
    }
    if (type === 'error') {
      throw bedrockError({ name: header(m, ':error-code'), message: header(m, ':error-message') ?? 'stream error', provider: this.provider });
    }
    if (header(m, ':event-type') !== 'chunk') return '';
    let payload: { bytes?: unknown };
    try {
      payload = JSON.parse(toUtf8(m.body)) as { bytes?: unknown };
    } catch {
      throw this.malformed('a chunk whose payload is not JSON');
    }
    if (typeof payload.bytes !== 'string') throw this.malformed('a chunk without bytes');
    const json = Buffer.from(payload.bytes, 'base64').toString('utf8');
    let event = TYPE_AT_START.exec(json)?.[1];
    if (event === undefined) {
      try {
        const t = (JSON.parse(json) as { type?: unknown }).type;
        if (typeof t === 'string') event = t;
      } catch {
        // Forwarded as it is: the Anthropic decoder reports a frame that is not JSON.
      }
    }
    return encodeSseFrame(json, event);
  }

  private malformed(what: string): GatewayError {
    return new GatewayError({
      code: 'upstream_malformed_frame',
      message: `${this.provider} sent ${what} in its event stream; the stream was dropped.`,
      status: 502,
      kind: 'cut',
      provider: this.provider,
    });
  }
}
