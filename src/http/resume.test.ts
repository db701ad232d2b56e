/**
 * Mid-stream recovery (issue #4): an upstream that dies after part of the
 * answer reached the client is continued on another target, and the client —
 * judged by the official SDKs — gets the whole answer exactly once. Where a
 * correct continuation is impossible (inside a tool call) the SDK raises.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { simAnswerText } from '../test-support/sim-answer.js';
import { policyWith } from '../routing/policy.js';
import { startStack, withPolicy, type Stack } from '../test-support/stack.js';
import type { SimFault } from '../sim/faults.js';

const PROMPT = 'Tell me a long story about trains, reply with 60 words';
const expected = simAnswerText(PROMPT);

let st: Stack;
before(async () => {
  st = await startStack({ sim: { chunkDelayMs: 1 }, configure: (c) => withPolicy(c, policyWith({ ttftTimeoutMs: 1000, idleTimeoutMs: 300 })) });
});
after(() => st.close());

const midStream: Array<[string, SimFault]> = [
  ['cut', { kind: 'cut-after', after: 10 }],
  ['stall', { kind: 'stall-after', after: 10 }],
  ['malformed frame', { kind: 'malformed-after', after: 10 }],
];

describe('openai SDK: the primary dies after 10 chunks', () => {
  for (const [name, fault] of midStream) {
    test(`${name}: the whole answer arrives exactly once, with the switch marked`, async () => {
      st.sims.openai.faults.set([{ fault, times: 1 }]);
      const c = new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0 });
      const stream = await c.chat.completions.create({ model: 'chat', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: PROMPT }] });
      let text = '';
      let finish: string | null = null;
      const markers: unknown[] = [];
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
        const marker = (chunk as unknown as { switchyard?: unknown }).switchyard;
        if (marker) markers.push(marker);
      }
      assert.equal(text, expected);
      assert.equal(finish, 'stop');
      assert.ok(markers.length >= 2, 'marked on the chunk after the switch and on the final one');
      assert.deepEqual(
        { resumed: (markers[0] as { resumed: boolean }).resumed, from: (markers[0] as { from: string }).from },
        { resumed: true, from: 'sim-openai/gpt-4o-mini' },
      );
      assert.ok(usage && usage.completion_tokens > 0);
    });
  }

  test('inside a streamed tool call: the SDK raises an error instead of a clean end', async () => {
    st.sims.openai.faults.set([{ fault: { kind: 'cut-after', after: 3 }, times: 1 }]);
    const c = new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { query: { type: 'string' }, region: { type: 'string' } }, required: ['query', 'region'] } } },
    ];
    const stream = await c.chat.completions.create({ model: 'chat', stream: true, tools, messages: [{ role: 'user', content: 'look it up' }] });
    await assert.rejects(async () => {
      for await (const _chunk of stream) {
        // drain
      }
    }, (e: unknown) => e instanceof OpenAI.APIError);
  });
});

describe('Anthropic SDK: the primary dies before its first token', () => {
  // The frames before the first text are judged on their bytes, not decoded: a cut there must still be seen as one.
  for (const after of [1, 2]) {
    test(`cut after ${after} frame(s): the answer comes whole from the next target`, async () => {
      st.sims.anthropic.faults.set([{ fault: { kind: 'cut-after', after }, times: 1 }]);
      const c = new Anthropic({ baseURL: st.url, apiKey: 'x', maxRetries: 0 });
      const msg = await c.messages.stream({ model: 'claude', max_tokens: 1024, messages: [{ role: 'user', content: PROMPT }] }).finalMessage();
      const block = msg.content[0];
      assert.ok(block && block.type === 'text');
      assert.equal(block.text, expected);
      assert.equal(msg.stop_reason, 'end_turn');
    });
  }
});

describe('Anthropic SDK: the primary dies after 10 events', () => {
  for (const [name, fault] of midStream) {
    test(`${name}: finalMessage() has the whole answer exactly once`, async () => {
      st.sims.anthropic.faults.set([{ fault, times: 1 }]);
      const c = new Anthropic({ baseURL: st.url, apiKey: 'x', maxRetries: 0 });
      const stream = c.messages.stream({ model: 'claude', max_tokens: 1024, messages: [{ role: 'user', content: PROMPT }] });
      let deltas = '';
      stream.on('text', (t) => (deltas += t));
      const msg = await stream.finalMessage();
      const block = msg.content[0];
      assert.ok(block && block.type === 'text');
      assert.equal(block.text, expected);
      assert.equal(deltas, expected);
      assert.equal(msg.stop_reason, 'end_turn');
    });
  }
});

test('pass-through of an upstream that omits [DONE] after finish_reason: the client still gets its proper end', async () => {
  const { createServer } = await import('node:http');
  const upstream = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (delta: object, finish: string | null) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    res.end(chunk({ role: 'assistant', content: 'Hello' }, null) + chunk({}, 'stop'));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const port = (upstream.address() as { port: number }).port;
  const s = await startStack({
    configure: (c) => ({
      ...c,
      providers: [...c.providers, { name: 'nodone', type: 'openai-compatible', baseUrl: `http://127.0.0.1:${port}/v1`, headers: {}, query: {} }],
      models: [...c.models, { name: 'nodone', targets: [{ provider: 'nodone', model: 'm' }] }],
    }),
  });
  try {
    const res = await fetch(`${s.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'nodone', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
    const text = await res.text();
    assert.match(text, /"content":"Hello"/);
    assert.ok(text.trimEnd().endsWith('data: [DONE]'), text);
  } finally {
    await s.close();
    await new Promise<void>((r) => upstream.close(() => r()));
  }
});
