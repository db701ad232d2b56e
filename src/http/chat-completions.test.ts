/**
 * End to end: the official `openai` SDK against the gateway, in front of each
 * simulated upstream type. The simulators answer deterministically, so the
 * text a client receives is checked word for word.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startStack, type Stack } from '../test-support/stack.js';
import { planAnswer } from '../sim/script.js';
import { SIM_MODELS } from '../sim/gateway-config.js';

const PROMPT = 'Tell me about resilient gateways.';
const UPSTREAMS = [
  { alias: 'via-openai', model: SIM_MODELS.openai },
  { alias: 'via-compat', model: SIM_MODELS.openai },
  { alias: 'via-anthropic', model: SIM_MODELS.anthropic },
  { alias: 'via-gemini', model: SIM_MODELS.gemini },
] as const;

const weatherTool: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

// 1x1 transparent PNG.
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

function expectedText(model: string, prompt = PROMPT): string {
  const a = planAnswer({ model, lastUserText: prompt, tools: [], inputTokens: 0 });
  assert.ok(a.kind === 'text');
  return a.text;
}

let stack: Stack;
let client: OpenAI;

before(async () => {
  stack = await startStack();
  client = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'client-key-not-checked', maxRetries: 0 });
});
after(() => stack.close());

for (const { alias, model } of UPSTREAMS) {
  describe(`openai SDK -> ${alias}`, () => {
    test('JSON: text, finish reason and usage', async () => {
      const res = await client.chat.completions.create({ model: alias, messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: PROMPT }] });
      assert.equal(res.object, 'chat.completion');
      assert.equal(res.choices[0]!.message.role, 'assistant');
      assert.equal(res.choices[0]!.message.content, expectedText(model));
      assert.equal(res.choices[0]!.finish_reason, 'stop');
      assert.ok(res.usage!.prompt_tokens > 0);
      assert.equal(res.usage!.completion_tokens, 24);
      assert.equal(res.usage!.total_tokens, res.usage!.prompt_tokens + res.usage!.completion_tokens);
    });

    test('stream: every delta, finish reason and the usage chunk', async () => {
      const stream = await client.chat.completions.create({ model: alias, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: PROMPT }] });
      let text = '';
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) {
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices[0];
        if (choice?.delta.content) text += choice.delta.content;
        if (choice?.finish_reason) finish = choice.finish_reason;
      }
      assert.equal(text, expectedText(model));
      assert.equal(finish, 'stop');
      assert.ok(usage, 'usage chunk received');
      assert.equal(usage.completion_tokens, 24);
      assert.ok(usage.prompt_tokens > 0);
    });

    test('max_tokens cuts the answer with finish_reason length', async () => {
      const res = await client.chat.completions.create({ model: alias, max_tokens: 5, messages: [{ role: 'user', content: PROMPT }] });
      assert.equal(res.choices[0]!.finish_reason, 'length');
      assert.equal(res.choices[0]!.message.content, expectedText(model).split(' ').slice(0, 5).join(' '));
    });

    test('tools: a call, then the answer to its result (JSON)', async () => {
      const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is the weather in Paris? Use the tool.' }];
      const first = await client.chat.completions.create({ model: alias, messages, tools: [weatherTool] });
      const call = first.choices[0]!.message.tool_calls?.[0];
      assert.equal(first.choices[0]!.finish_reason, 'tool_calls');
      assert.ok(call && call.type === 'function');
      assert.equal(call.function.name, 'get_weather');
      assert.deepEqual(JSON.parse(call.function.arguments), { location: 'Paris' });
      assert.ok(call.id.length > 0);

      messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'sunny, 21C' });
      const second = await client.chat.completions.create({ model: alias, messages, tools: [weatherTool] });
      assert.equal(second.choices[0]!.finish_reason, 'stop');
      assert.equal(second.choices[0]!.message.content, 'The tool returned: sunny, 21C');
    });

    test('tools: streamed tool-call arguments assemble into the call', async () => {
      const stream = await client.chat.completions.create({ model: alias, stream: true, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weatherTool] });
      const calls = new Map<number, { id?: string; name?: string; args: string }>();
      let finish: string | null = null;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        for (const tc of choice?.delta.tool_calls ?? []) {
          const c = calls.get(tc.index) ?? { args: '' };
          if (tc.id) c.id = tc.id;
          if (tc.function?.name) c.name = tc.function.name;
          c.args += tc.function?.arguments ?? '';
          calls.set(tc.index, c);
        }
        if (choice?.finish_reason) finish = choice.finish_reason;
      }
      assert.equal(finish, 'tool_calls');
      assert.equal(calls.size, 1);
      const c = calls.get(0)!;
      assert.equal(c.name, 'get_weather');
      assert.ok(c.id);
      assert.deepEqual(JSON.parse(c.args), { location: 'Paris' });
    });

    test('multi-part content with an image is accepted', async () => {
      const res = await client.chat.completions.create({
        model: alias,
        messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }, { type: 'image_url', image_url: { url: PNG } }] }],
      });
      assert.equal(res.choices[0]!.message.content, expectedText(model));
    });
  });
}

describe('transparency and the rest of the API', () => {
  test('response headers name the target that served it', async () => {
    const { response } = await client.chat.completions.create({ model: 'via-anthropic', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.equal(response.headers.get('x-switchyard-provider'), 'sim-anthropic');
    assert.equal(response.headers.get('x-switchyard-model'), SIM_MODELS.anthropic);
    assert.equal(response.headers.get('x-switchyard-attempts'), '1');
  });

  test('GET /v1/models lists the configured aliases', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    assert.deepEqual(ids.sort(), stack.config.models.map((m) => m.name).sort());
  });

  test('embeddings through the OpenAI and Gemini upstreams', async () => {
    const res = await client.embeddings.create({ model: 'embed', input: ['alpha', 'beta'] });
    assert.equal(res.data.length, 2);
    assert.ok(res.data[0]!.embedding.length > 0);
    assert.notDeepEqual(res.data[0]!.embedding, res.data[1]!.embedding);
  });

  test('healthz and readyz', async () => {
    assert.equal((await fetch(`${stack.url}/healthz`)).status, 200);
    const ready = await fetch(`${stack.url}/readyz`);
    assert.equal(ready.status, 200);
  });
});
