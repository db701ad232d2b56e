/**
 * Same model, another cloud, when it matters (issue #29): Claude on Anthropic's API fails with a
 * 529 or in the middle of a stream, and the alias `claude-sonnet-4-5` (anthropic -> bedrock ->
 * vertex) goes on answering from AWS Bedrock, then Google Vertex AI. The official Anthropic SDK
 * judges the result: one coherent answer, exactly once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { simAnswerText } from '../test-support/sim-answer.js';
import { policyWith } from '../routing/policy.js';
import { withPolicy } from '../test-support/stack.js';
import { startCloudStack, type CloudStack } from '../test-support/cloud-stack.js';
import { SAME_MODEL } from '../sim/gateway-config.js';
import type { SimFault } from '../sim/faults.js';

const PROMPT = 'Tell me a long story about trains, reply with 60 words';
const expected = simAnswerText(PROMPT);
const FAST = policyWith({ ttftTimeoutMs: 1000, jsonTimeoutMs: 2000, idleTimeoutMs: 300 });

const client = (st: CloudStack) => new Anthropic({ baseURL: st.url, apiKey: 'x', maxRetries: 0 });
const params = { model: SAME_MODEL, max_tokens: 1024, messages: [{ role: 'user' as const, content: PROMPT }] };

async function streamed(st: CloudStack): Promise<{ text: string; deltas: string; stop: string | null }> {
  const stream = client(st).messages.stream(params);
  let deltas = '';
  stream.on('text', (t) => (deltas += t));
  const msg = await stream.finalMessage();
  return { text: msg.content.map((b) => (b.type === 'text' ? b.text : '')).join(''), deltas, stop: msg.stop_reason };
}

describe('a 529 from Anthropic', () => {
  let st: CloudStack;
  before(async () => {
    st = await startCloudStack({ configure: (c) => withPolicy(c, FAST) });
  });
  after(() => st.close());

  test('Claude on Bedrock answers, JSON and streamed', async () => {
    st.sims.anthropic.faults.set([{ fault: { kind: 'status', status: 529 } }]);
    const { data, response } = await client(st).messages.create(params).withResponse();
    assert.equal(data.content[0]?.type === 'text' && data.content[0].text, expected);
    assert.equal(response.headers.get('x-switchyard-provider'), 'sim-bedrock');
    const s = await streamed(st);
    assert.equal(s.text, expected);
    assert.equal(s.deltas, expected);
    assert.equal(s.stop, 'end_turn');
    assert.ok(st.sims.anthropic.stats.byStatus[529]! >= 1);
  });

  test('and Bedrock unavailable too (ServiceUnavailableException): Claude on Vertex answers', async () => {
    st.sims.anthropic.faults.set([{ fault: { kind: 'status', status: 529 } }]);
    st.sims.bedrock.faults.set([{ fault: { kind: 'status', status: 503 } }]);
    const { data, response } = await client(st).messages.create(params).withResponse();
    assert.equal(data.content[0]?.type === 'text' && data.content[0].text, expected);
    assert.equal(response.headers.get('x-switchyard-provider'), 'sim-vertex');
    assert.equal((await streamed(st)).text, expected);
    assert.ok(st.sims.bedrock.stats.byStatus[503]! >= 1);
  });
});

describe('a stream cut in the middle', () => {
  let st: CloudStack;
  before(async () => {
    st = await startCloudStack({ sim: { chunkDelayMs: 1 }, configure: (c) => withPolicy(c, FAST) });
  });
  after(() => st.close());

  const reset = () => {
    for (const s of Object.values(st.sims)) s.faults.set([]);
  };

  test('Anthropic cut after 10 events: the answer goes on on Bedrock, whole and exactly once', async () => {
    reset();
    st.sims.anthropic.faults.set([{ fault: { kind: 'cut-after', after: 10 }, times: 1 }]);
    const before = st.seen.bedrock.length;
    const s = await streamed(st);
    assert.equal(s.text, expected);
    assert.equal(s.deltas, expected);
    assert.equal(s.stop, 'end_turn');
    // The continuation: what the client already had, as a trailing assistant turn (prefill) in Bedrock's envelope.
    const body = JSON.parse(st.seen.bedrock[before]!.body.toString()) as { anthropic_version: string; messages: { role: string; content: unknown }[] };
    assert.equal(body.anthropic_version, 'bedrock-2023-05-31');
    assert.equal(body.messages.at(-1)?.role, 'assistant');
  });

  const bedrockFaults: Array<[string, SimFault]> = [
    ['cut in its event stream', { kind: 'cut-after', after: 6 }],
    ['a message with a bad checksum', { kind: 'malformed-after', after: 6 }],
    ['a serviceUnavailableException in the stream', { kind: 'error-after', after: 6 }],
  ];
  for (const [name, fault] of bedrockFaults) {
    test(`Anthropic cut, then Bedrock fails with ${name}: Vertex finishes the answer`, async () => {
      reset();
      st.sims.anthropic.faults.set([{ fault: { kind: 'cut-after', after: 8 }, times: 1 }]);
      st.sims.bedrock.faults.set([{ fault, times: 1 }]);
      const vertexBefore = st.sims['vertex-anthropic'].stats.requests;
      const bedrockBefore = st.sims.bedrock.stats.requests;
      const s = await streamed(st);
      assert.equal(st.sims.bedrock.stats.requests - bedrockBefore, 1, 'Bedrock took the continuation and failed');
      assert.equal(s.text, expected);
      assert.equal(s.deltas, expected);
      assert.equal(s.stop, 'end_turn');
      assert.equal(st.sims['vertex-anthropic'].stats.requests - vertexBefore, 1);
    });
  }
});
