/**
 * The simulators' mid-stream faults in every shape a test needs (issue #22): a malformed frame
 * the provider goes on after, the provider's own error event, the frames around a failure in one
 * write or split at random byte offsets. Read with plain fetch: the bytes are what is checked.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SimServer } from './engine.js';
import { openaiWire } from './openai-wire.js';
import { anthropicWire } from './anthropic-wire.js';
import type { SimFault } from './faults.js';

let sim: SimServer;
let origin: string;

before(async () => {
  sim = new SimServer(openaiWire);
  origin = await sim.start();
});
after(() => sim.stop());

async function streamBody(fault?: SimFault): Promise<string> {
  sim.faults.set(fault ? [{ fault, times: 1 }] : []);
  const res = await fetch(`${origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-FAKE' },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Hi, reply with 12 words' }] }),
  });
  return res.text();
}

/** The frames of a body, with what differs per request (id, time) made equal. */
const frames = (body: string) =>
  body
    .replace(/chatcmpl-openai-sim-\d+/g, 'ID')
    .replace(/"created":\d+/g, '"created":0')
    .split('\n\n')
    .filter((f) => f !== '');

test('malformed-after with continue: the bad frame sits between the frames before and the rest of the answer', async () => {
  const whole = frames(await streamBody());
  for (const writes of ['each', 'together', 'random'] as const) {
    const got = frames(await streamBody({ kind: 'malformed-after', after: 5, continue: true, writes, seed: 7 }));
    assert.deepEqual(got, [...whole.slice(0, 5), String(openaiWire.malformedFrame()).trimEnd(), ...whole.slice(5)], writes);
  }
});

test('malformed-after without continue ends the stream after the bad frame', async () => {
  const whole = frames(await streamBody());
  const got = frames(await streamBody({ kind: 'malformed-after', after: 5, writes: 'together' }));
  assert.deepEqual(got, [...whole.slice(0, 5), String(openaiWire.malformedFrame()).trimEnd()]);
});

test("error-after sends the provider's in-stream error event and ends", async () => {
  const whole = frames(await streamBody());
  const got = frames(await streamBody({ kind: 'error-after', after: 3 }));
  assert.deepEqual(got.slice(0, 3), whole.slice(0, 3));
  assert.equal(got.length, 4);
  assert.equal(JSON.parse(got[3]!.slice('data: '.length)).error.type, 'server_error');
  assert.match(String(anthropicWire.streamErrorFrame()), /^event: error\ndata: .*overloaded_error/);
});

test('random writes: the same bytes, in pieces whose boundaries depend on the seed', async () => {
  const a = await streamBody({ kind: 'malformed-after', after: 8, continue: true, writes: 'random', seed: 1 });
  const b = await streamBody({ kind: 'malformed-after', after: 8, continue: true, writes: 'random', seed: 99 });
  assert.deepEqual(frames(a), frames(b));
});

test('oversized-after sends an event that never ends, of the size asked for', async () => {
  const body = await streamBody({ kind: 'oversized-after', after: 2, bytes: 100_000 });
  const last = body.slice(body.lastIndexOf('\n\n') + 2);
  assert.ok(last.startsWith('data: {"x":"'));
  assert.equal(last.length, 'data: {"x":"'.length + 100_000);
});
