/**
 * AWS event-stream messages as Bedrock Runtime sends them on InvokeModelWithResponseStream
 * (Bedrock API reference, ResponseStream; framing encoded by @smithy/core's EventStreamCodec,
 * CRCs included): a `chunk` event whose JSON payload carries one model event base64-encoded in
 * `bytes`, with a `p` field of random-length padding (Bedrock pads payloads so their length does
 * not reveal the tokens), and exception messages named by `:exception-type`.
 */
import { EventStreamCodec, type MessageHeaders } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/core/serde';

const PAD = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const str = (value: string) => ({ type: 'string' as const, value });

function encode(headers: MessageHeaders, body: string): Buffer {
  // A codec per message: it is cheap, and a module-wide one would be state shared by every simulator in the process.
  const bytes = new EventStreamCodec(toUtf8, fromUtf8).encode({ headers, body: fromUtf8(body) });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** One `chunk` event carrying `eventJson` (an Anthropic stream event). */
export function chunkMessage(eventJson: string): Buffer {
  const p = PAD.slice(0, eventJson.length % PAD.length);
  const payload = JSON.stringify({ bytes: Buffer.from(eventJson).toString('base64'), p });
  return encode({ ':event-type': str('chunk'), ':content-type': str('application/json'), ':message-type': str('event') }, payload);
}

/** An exception message, e.g. `throttlingException` with Bedrock's `{"message": ...}` payload. */
export function exceptionMessage(exceptionType: string, message: string): Buffer {
  return encode({ ':exception-type': str(exceptionType), ':content-type': str('application/json'), ':message-type': str('exception') }, JSON.stringify({ message }));
}
