/**
 * What a client asks of the answer is honoured or refused, never dropped (issue #24):
 * `reasoning_effort` becomes Anthropic extended thinking or Gemini's thinking config; fields
 * whose output only an OpenAI-format target can return (`logprobs`, audio) skip other targets;
 * a translated Anthropic stream states the prompt size in message_start (an estimate, labelled)
 * and the exact figure in message_delta.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { startStack, type Stack } from '../test-support/stack.js';

const PROMPT = 'Tell me about resilient gateways.';

let stack: Stack;
let openai: OpenAI;
let anthropic: Anthropic;
const received: Array<{ url: string; body: Record<string, unknown> }> = [];

before(async () => {
  stack = await startStack({
    sim: { onRequest: (r) => void received.push({ url: r.url, body: JSON.parse(r.body.toString('utf8') || '{}') as Record<string, unknown> }) },
    configure: (c) => ({
      ...c,
      models: [
        ...c.models,
        { name: 'sonnet', targets: [{ provider: 'sim-anthropic', model: 'claude-sonnet-4-5' }] },
        { name: 'flash', targets: [{ provider: 'sim-gemini', model: 'gemini-2.5-flash' }] },
        // Neither Claude 3.5 Haiku nor Gemini 2.0 Flash thinks: a reasoning request goes on to Gemini 2.5.
        { name: 'no-thinkers-first', targets: [{ provider: 'sim-anthropic', model: 'claude-3-5-haiku-latest' }, { provider: 'sim-gemini', model: 'gemini-2.0-flash' }, { provider: 'sim-gemini', model: 'gemini-2.5-flash' }] },
      ],
    }),
  });
  openai = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'sk-test-FAKE', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: stack.url, apiKey: 'sk-ant-test-FAKE', maxRetries: 0 });
});
after(() => stack.close());

function lastBody(path: string): Record<string, unknown> {
  const hit = received.filter((r) => r.url.includes(path)).at(-1);
  assert.ok(hit, `no request to ${path}`);
  return hit.body;
}

describe('reasoning_effort', () => {
  test('to Anthropic: extended thinking with a budget; the answer is the text, thinking billed as output', async () => {
    const plain = await openai.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: PROMPT }] });
    const res = await openai.chat.completions.create({ model: 'sonnet', messages: [{ role: 'user', content: PROMPT }], reasoning_effort: 'medium' });
    assert.deepEqual(lastBody('/v1/messages').thinking, { type: 'enabled', budget_tokens: 8192 });
    assert.equal(res.choices[0]!.message.content, plain.choices[0]!.message.content);
    assert.ok(res.usage!.completion_tokens > plain.usage!.completion_tokens);
    const stream = await openai.chat.completions.create({ model: 'sonnet', stream: true, messages: [{ role: 'user', content: PROMPT }], reasoning_effort: 'medium' });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    assert.equal(text, plain.choices[0]!.message.content, 'the thinking block is not the answer');
  });

  test('to Gemini 2.5: thinkingConfig with a budget', async () => {
    const res = await openai.chat.completions.create({ model: 'flash', messages: [{ role: 'user', content: PROMPT }], reasoning_effort: 'high' });
    assert.equal(res.choices[0]!.finish_reason, 'stop');
    assert.deepEqual((lastBody(':generateContent').generationConfig as Record<string, unknown>).thinkingConfig, { thinkingBudget: 24576 });
  });

  test("Anthropic's output_config.effort reaches OpenAI as reasoning_effort", async () => {
    await anthropic.messages.create({ model: 'via-openai', max_tokens: 200, messages: [{ role: 'user', content: PROMPT }], output_config: { effort: 'low' } });
    assert.equal(lastBody('/v1/chat/completions').reasoning_effort, 'low');
  });

  test('targets whose model does not think are skipped; alone, a 400 naming the field', async () => {
    const { response } = await openai.chat.completions.create({ model: 'no-thinkers-first', messages: [{ role: 'user', content: PROMPT }], reasoning_effort: 'low' }).withResponse();
    assert.equal(response.headers.get('x-switchyard-model'), 'gemini-2.5-flash');
    await assert.rejects(openai.chat.completions.create({ model: 'via-anthropic', messages: [{ role: 'user', content: PROMPT }], reasoning_effort: 'low' }), (e: unknown) => {
      assert.ok(e instanceof OpenAI.BadRequestError, String(e));
      assert.equal(e.param, 'reasoning_effort');
      assert.equal(e.code, 'unsupported_by_target');
      return true;
    });
    await assert.rejects(openai.responses.create({ model: 'via-gemini', input: PROMPT, reasoning: { effort: 'low' } }), (e: unknown) => e instanceof OpenAI.BadRequestError && e.param === 'reasoning.effort');
    // 'none' asks for no thinking, which a model that never thinks honours.
    const none = await openai.chat.completions.create({ model: 'via-anthropic', messages: [{ role: 'user', content: PROMPT }], reasoning_effort: 'none' });
    assert.equal(none.choices[0]!.finish_reason, 'stop');
  });

  test('a tool loop with reasoning through Anthropic: the turn continues without thinking, as Anthropic requires', async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await openai.chat.completions.create({ model: 'sonnet', messages, tools, reasoning_effort: 'low' });
    const call = first.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall;
    messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: '18C and sunny' });
    const second = await openai.chat.completions.create({ model: 'sonnet', messages, tools, reasoning_effort: 'low' });
    assert.match(second.choices[0]!.message.content!, /18C and sunny/);
    assert.equal('thinking' in lastBody('/v1/messages'), false);
  });
});

describe('output only an OpenAI-format target can return', () => {
  test('logprobs: skipped past Anthropic to OpenAI; alone on Anthropic or Gemini, a 400 naming it', async () => {
    const { response } = await openai.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: PROMPT }], logprobs: true, top_logprobs: 2 }).withResponse();
    assert.equal(response.headers.get('x-switchyard-provider'), 'sim-openai');
    assert.equal(lastBody('/v1/chat/completions').logprobs, true, 'passed through as sent');
    for (const model of ['via-anthropic', 'via-gemini']) {
      await assert.rejects(openai.chat.completions.create({ model, messages: [{ role: 'user', content: PROMPT }], logprobs: true }), (e: unknown) => {
        assert.ok(e instanceof OpenAI.BadRequestError, String(e));
        assert.equal(e.param, 'logprobs');
        assert.equal(e.code, 'unsupported_by_target');
        return true;
      });
    }
  });

  test('audio output (modalities) is refused by Anthropic rather than answered in text', async () => {
    await assert.rejects(
      openai.chat.completions.create({ model: 'via-anthropic', messages: [{ role: 'user', content: PROMPT }], modalities: ['text', 'audio'], audio: { voice: 'alloy', format: 'wav' } }),
      (e: unknown) => e instanceof OpenAI.BadRequestError && e.param === 'modalities',
    );
  });
});

describe('translated Anthropic streams report input tokens (LangChain reads message_start)', () => {
  for (const model of ['via-openai', 'via-compat']) {
    test(`${model}: message_start has a labelled estimate, message_delta the exact count`, async () => {
      const exact = (await anthropic.messages.create({ model, max_tokens: 200, system: 'Be brief.', messages: [{ role: 'user', content: PROMPT }] })).usage.input_tokens;
      const stream = await anthropic.messages.create({ model, max_tokens: 200, system: 'Be brief.', messages: [{ role: 'user', content: PROMPT }], stream: true });
      let start: (Anthropic.RawMessageStartEvent & { switchyard?: unknown }) | undefined;
      let delta: Anthropic.RawMessageDeltaEvent | undefined;
      for await (const ev of stream) {
        if (ev.type === 'message_start') start = ev;
        if (ev.type === 'message_delta') delta = ev;
      }
      assert.ok(start && delta);
      assert.ok(start.message.usage.input_tokens > 0, 'not 0');
      assert.deepEqual(start.switchyard, { token_count: 'estimated' });
      assert.equal(delta.usage.input_tokens, exact);
    });
  }

  test('Gemini: its own count up front, unlabelled', async () => {
    const stream = await anthropic.messages.create({ model: 'via-gemini', max_tokens: 200, messages: [{ role: 'user', content: PROMPT }], stream: true });
    for await (const ev of stream) {
      if (ev.type !== 'message_start') continue;
      assert.ok(ev.message.usage.input_tokens > 0);
      assert.equal('switchyard' in ev, false);
    }
  });
});
