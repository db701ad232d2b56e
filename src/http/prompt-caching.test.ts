/**
 * Prompt caching across the switch (issue #29): Anthropic `cache_control` breakpoints reach
 * Anthropic, Bedrock and Vertex byte for byte (caching keys on the exact prefix), and the
 * answer's cache usage comes back; a target that cannot honour them (OpenAI, Gemini, Azure,
 * Gemini on Vertex) gets a body without them, never a 400 of its own because of them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startCloudStack, type CloudStack } from '../test-support/cloud-stack.js';
import { policyWith } from '../routing/policy.js';
import { withPolicy } from '../test-support/stack.js';
import type { SimKind } from '../sim/index.js';

// The client's own spelling: spaces after some colons, none after others, a ttl on one breakpoint.
const SYSTEM = `"system": [{"type": "text", "text": "You are a careful assistant. A long system prompt, worth caching.", "cache_control": {"type": "ephemeral"}}]`;
const TOOLS = `"tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]},"cache_control":{"type":"ephemeral"}}]`;
const MESSAGES = `"messages":[{"role":"user","content":[{"type":"text","text":"Tell me about resilient gateways.","cache_control": {"type":"ephemeral","ttl":"1h"}}]}]`;
const body = (model: string, stream = false) => `{"model":"${model}","max_tokens":256,${stream ? '"stream":true,' : ''}\n  ${SYSTEM},\n  ${TOOLS},\n  "tool_choice":{"type":"none"},\n  ${MESSAGES}}`;

let st: CloudStack;
before(async () => {
  st = await startCloudStack({ configure: (c) => withPolicy(c, policyWith({ ttftTimeoutMs: 1000, jsonTimeoutMs: 2000 })) });
});
after(() => st.close());

async function post(text: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${st.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: text });
  return { status: res.status, text: await res.text() };
}

const HONOURING: Array<[string, SimKind]> = [
  ['via-anthropic', 'anthropic'],
  ['via-bedrock', 'bedrock'],
  ['via-vertex', 'vertex-anthropic'],
];

describe('targets that honour cache_control', () => {
  for (const [alias, kind] of HONOURING) {
    test(`${alias}: system, tools and messages arrive byte for byte; cache reads come back, JSON and streamed`, async () => {
      for (const stream of [false, true]) {
        const before = st.seen[kind].length;
        const res = await post(body(alias, stream));
        assert.equal(res.status, 200, res.text);
        const sent = st.seen[kind][before]!.body.toString();
        for (const member of [SYSTEM, TOOLS, MESSAGES]) assert.ok(sent.includes(member), `${alias} received ${member.slice(0, 12)}… as written:\n${sent}`);
        assert.match(res.text, /"cache_read_input_tokens":[1-9]/);
      }
    });
  }

  test('the Anthropic SDK sees cache_read_input_tokens from Claude on Bedrock and on Vertex', async () => {
    const c = new Anthropic({ baseURL: st.url, apiKey: 'x', maxRetries: 0 });
    for (const model of ['via-bedrock', 'via-vertex']) {
      const msg = await c.messages.create({
        model,
        max_tokens: 256,
        system: [{ type: 'text', text: 'A long system prompt, worth caching.', cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'Tell me about resilient gateways.' }],
      });
      assert.ok((msg.usage.cache_read_input_tokens ?? 0) > 0, model);
      assert.ok(msg.usage.input_tokens > 0);
    }
  });
});

describe('targets that cannot honour it', () => {
  const OTHERS: Array<[string, SimKind]> = [
    ['via-openai', 'openai'],
    ['via-gemini', 'gemini'],
    ['via-azure', 'azure'],
    ['via-vertex-gemini', 'vertex-gemini'],
  ];
  for (const [alias, kind] of OTHERS) {
    test(`${alias}: answered, and the body it received has no cache_control`, async () => {
      const before = st.seen[kind].length;
      const res = await post(body(alias));
      assert.equal(res.status, 200, res.text);
      const sent = st.seen[kind][before]!.body.toString();
      assert.ok(!sent.includes('cache_control'), sent);
    });
  }

  test('a fallback after Anthropic fails gets the request without cache_control, and answers', async () => {
    st.sims.anthropic.faults.set([{ fault: { kind: 'status', status: 529 } }]);
    try {
      const before = st.seen.openai.length;
      const res = await post(body('claude'));
      assert.equal(res.status, 200, res.text);
      const sent = st.seen.openai[before]!.body.toString();
      assert.ok(!sent.includes('cache_control'));
    } finally {
      st.sims.anthropic.faults.set([]);
    }
  });
});
