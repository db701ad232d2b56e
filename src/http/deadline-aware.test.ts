/**
 * Issue #24 item 1, through the official SDKs with the default configuration: an attempt may use
 * only its share of the client's deadline while other targets could still answer, and a stream is
 * judged stalled by its own rhythm, so a stalled primary never eats the whole deadline.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startStack, type Stack } from '../test-support/stack.js';

/** Wait (bounded) for the simulator to see its stalled connection closed by the gateway. */
async function released(st: Stack): Promise<void> {
  for (let i = 0; i < 200 && st.sims.openai.stats.active > 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(st.sims.openai.stats.active, 0, 'the stalled upstream connection was released');
}

describe('a primary that stalls before its first byte, SDK timeout 10 s', () => {
  let st: Stack;
  before(async () => {
    st = await startStack();
  });
  after(() => st.close());

  test('JSON (openai SDK): the next target answers within the 10 s', async () => {
    st.sims.openai.faults.set([{ fault: { kind: 'stall-before-first-byte' }, times: 1 }]);
    const client = new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const t0 = Date.now();
    // A per-request timeout: the openai SDK sends X-Stainless-Timeout for it (not for its client-wide default).
    const { data, response } = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'Hello' }] }, { timeout: 10_000 }).withResponse();
    const took = Date.now() - t0;
    assert.equal(response.headers.get('x-switchyard-provider'), 'sim-anthropic');
    assert.equal(data.choices[0]!.finish_reason, 'stop');
    assert.ok(took < 10_000, `answered in ${took} ms`);
    // Its share: 10 s over the three targets that could answer.
    assert.ok(took >= 3_000, `the primary had its share of the deadline first (${took} ms)`);
    await released(st);
  });

  test('stream (Anthropic SDK): the next target answers within the 10 s', async () => {
    st.sims.openai.faults.set([{ fault: { kind: 'stall-before-first-byte' }, times: 1 }]);
    const client = new Anthropic({ baseURL: st.url, apiKey: 'x', maxRetries: 0, timeout: 10_000 });
    const t0 = Date.now();
    const stream = client.messages.stream({ model: 'chat', max_tokens: 100, messages: [{ role: 'user', content: 'Hello' }] });
    const msg = await stream.finalMessage();
    const took = Date.now() - t0;
    assert.equal(msg.stop_reason, 'end_turn');
    assert.ok(took < 10_000, `answered in ${took} ms`);
    await released(st);
  });
});

describe('a stream that stops after 10 chunks, chunks normally 10 ms apart', () => {
  let st: Stack;
  before(async () => {
    st = await startStack({ sim: { chunkDelayMs: 10 } });
  });
  after(() => st.close());

  test('is judged by its rhythm: resumed on another target and complete within 8 s of the stall', async () => {
    // The SDK's default timeout (10 min): without its rhythm learned, the stall would be seen after the 30 s idle bound.
    const client = new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const ask = async () => {
      const s = await client.chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'Tell a story, reply with 40 words' }] });
      let text = '';
      for await (const ch of s) text += ch.choices[0]?.delta.content ?? '';
      return text;
    };
    // Live traffic teaches the primary's rhythm (a few hundred gaps).
    for (let round = 0; round < 3; round++) await Promise.all(Array.from({ length: 4 }, ask));

    st.sims.openai.faults.set([{ fault: { kind: 'stall-after', after: 10 }, times: 1 }]);
    const t0 = Date.now();
    const s = await client.chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'Tell a story, reply with 40 words' }] });
    let text = '';
    let finish: string | null | undefined;
    for await (const ch of s) {
      text += ch.choices[0]?.delta.content ?? '';
      finish = ch.choices[0]?.finish_reason ?? finish;
    }
    const took = Date.now() - t0;
    assert.equal(finish, 'stop');
    assert.equal(text.trim().split(/\s+/).length, 40, 'the whole answer, once');
    assert.ok(took < 8_000, `complete ${took} ms after the request (the stall came within its first 200 ms)`);
    await released(st);
  });
});
