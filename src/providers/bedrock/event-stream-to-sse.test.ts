import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../core/errors.js';
import { chunkMessage, exceptionMessage } from '../../sim/aws-event-stream.js';
import { EventStreamToSse } from './event-stream-to-sse.js';

const START = '{"type":"message_start","message":{"id":"msg_bdrk_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}';
const DELTA = '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hé\\nllo"}}';
const STOP = '{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":12,"outputTokenCount":2,"invocationLatency":300,"firstByteLatency":100}}';

const sse = (json: string) => `event: ${(JSON.parse(json) as { type: string }).type}\ndata: ${json}\n\n`;

test('chunk events become the Anthropic SSE frames they carry, whatever the read boundaries', () => {
  const body = Buffer.concat([chunkMessage(START), chunkMessage(DELTA), chunkMessage(STOP)]);
  const whole = new EventStreamToSse('bedrock');
  assert.equal(whole.push(body).toString(), sse(START) + sse(DELTA) + sse(STOP));
  assert.equal(whole.end(), undefined);

  const byByte = new EventStreamToSse('bedrock');
  let out = '';
  for (let i = 0; i < body.length; i++) out += byByte.push(body.subarray(i, i + 1)).toString();
  assert.equal(out, sse(START) + sse(DELTA) + sse(STOP));
  assert.equal(byByte.failure, undefined);
});

test('an exception message ends the stream with its typed error, after the events before it', () => {
  const t = new EventStreamToSse('bedrock-east');
  const out = t.push(Buffer.concat([chunkMessage(START), exceptionMessage('throttlingException', 'Too many tokens, please wait before trying again.'), chunkMessage(DELTA)]));
  assert.equal(out.toString(), sse(START));
  assert.ok(t.failure instanceof GatewayError);
  assert.equal(t.failure.kind, 'rate_limited');
  assert.equal(t.failure.status, 429);
  assert.match(t.failure.message, /^bedrock-east: throttlingException: Too many tokens/);
  assert.equal(t.push(chunkMessage(DELTA)).length, 0, 'nothing after the failure');
});

for (const [type, kind] of [['modelStreamErrorException', 'transient'], ['serviceUnavailableException', 'overloaded'], ['internalServerException', 'transient'], ['validationException', 'client_error'], ['modelTimeoutException', 'timeout']] as const) {
  test(`${type} mid-stream is a ${kind} error`, () => {
    const t = new EventStreamToSse('b');
    t.push(exceptionMessage(type, 'x'));
    assert.equal(t.failure?.kind, kind);
  });
}

test('a message whose CRC does not match is a malformed frame (kind cut), after the good ones', () => {
  const bad = chunkMessage(DELTA);
  bad[bad.length - 20] = bad[bad.length - 20]! ^ 0xff;
  const t = new EventStreamToSse('bedrock');
  assert.equal(t.push(Buffer.concat([chunkMessage(START), bad])).toString(), sse(START));
  assert.equal(t.failure?.code, 'upstream_malformed_frame');
  assert.equal(t.failure?.kind, 'cut');
});

test('a body that is not event-stream framing (an absurd length) fails at once instead of buffering it', () => {
  const t = new EventStreamToSse('bedrock');
  t.push(Buffer.from('data: {"x":"this is SSE, not event-stream"}\n\n'));
  assert.equal(t.failure?.code, 'upstream_malformed_frame');
});

test('a body that ends inside a message is a cut stream', () => {
  const t = new EventStreamToSse('bedrock');
  const m = chunkMessage(START);
  t.push(m.subarray(0, m.length - 3));
  assert.equal(t.end()?.code, 'upstream_stream_cut');
});
