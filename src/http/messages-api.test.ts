/**
 * End to end: the official `@anthropic-ai/sdk` against the gateway's
 * POST /v1/messages, in front of each simulated upstream type. Against
 * via-anthropic the bytes pass through; against the others every answer goes
 * through the canonical model and the anthropic-messages encoders. The
 * simulators answer deterministically, so text is checked word for word.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startStack, withPolicy, type Stack } from '../test-support/stack.js';
import { policyWith } from '../routing/policy.js';
import { planAnswer } from '../sim/script.js';

const PROMPT = 'Tell me about resilient gateways.';
const ALIASES = ['via-openai', 'via-compat', 'via-anthropic', 'via-gemini'] as const;

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

// 1x1 transparent PNG.
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

function expectedText(prompt = PROMPT): string {
  const a = planAnswer({ model: '', lastUserText: prompt, tools: [], inputTokens: 0 });
  assert.ok(a.kind === 'text');
  return a.text;
}

function textOf(msg: Anthropic.Message): string {
  return msg.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
}

let stack: Stack;
let client: Anthropic;

before(async () => {
  stack = await startStack();
  client = new Anthropic({ baseURL: stack.url, apiKey: 'x', maxRetries: 0 });
});
after(() => stack.close());

for (const alias of ALIASES) {
  describe(`anthropic SDK -> ${alias}`, () => {
    test('messages.create: text, end_turn and usage', async () => {
      const msg = await client.messages.create({ model: alias, max_tokens: 1024, system: 'Be brief.', messages: [{ role: 'user', content: PROMPT }] });
      assert.equal(msg.type, 'message');
      assert.equal(msg.role, 'assistant');
      assert.match(msg.id, /^msg_/);
      assert.equal(msg.content.length, 1);
      assert.equal(textOf(msg), expectedText());
      assert.equal(msg.stop_reason, 'end_turn');
      assert.equal(msg.stop_sequence, null);
      assert.equal(msg.usage.output_tokens, 24);
      assert.ok(msg.usage.input_tokens > 0);
    });

    test('messages.stream: text events add up to finalMessage()', async () => {
      const stream = client.messages.stream({ model: alias, max_tokens: 1024, messages: [{ role: 'user', content: PROMPT }] });
      let deltas = '';
      const types: string[] = [];
      stream.on('text', (t) => (deltas += t));
      stream.on('streamEvent', (e) => types.push(e.type));
      const msg = await stream.finalMessage();
      assert.equal(textOf(msg), expectedText());
      assert.equal(deltas, expectedText());
      assert.equal(msg.stop_reason, 'end_turn');
      assert.equal(msg.usage.output_tokens, 24);
      assert.ok(msg.usage.input_tokens > 0);
      assert.equal(types[0], 'message_start');
      assert.deepEqual(types.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
    });

    test('tools: a tool_use block with schema-derived input, then the answer to its tool_result', async () => {
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'What is the weather in Paris? Use the tool.' }];
      const first = await client.messages.create({ model: alias, max_tokens: 1024, messages, tools: [weatherTool] });
      assert.equal(first.stop_reason, 'tool_use');
      const use = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      assert.ok(use, 'a tool_use block');
      assert.equal(use.name, 'get_weather');
      assert.deepEqual(use.input, { location: 'Paris' });
      assert.ok(use.id.length > 0);

      messages.push({ role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'sunny, 21C' }] });
      const second = await client.messages.create({ model: alias, max_tokens: 1024, messages, tools: [weatherTool] });
      assert.equal(second.stop_reason, 'end_turn');
      assert.equal(textOf(second), 'The tool returned: sunny, 21C');
    });

    test('tools, streamed: input_json deltas assemble into the tool_use input', async () => {
      const stream = client.messages.stream({ model: alias, max_tokens: 1024, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weatherTool] });
      let json = '';
      stream.on('inputJson', (partial) => (json += partial));
      const msg = await stream.finalMessage();
      assert.equal(msg.stop_reason, 'tool_use');
      const use = msg.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      assert.ok(use);
      assert.equal(use.name, 'get_weather');
      assert.deepEqual(use.input, { location: 'Paris' });
      assert.deepEqual(JSON.parse(json), { location: 'Paris' });
    });

    test('a base64 PNG image block is accepted', async () => {
      const msg = await client.messages.create({
        model: alias,
        max_tokens: 1024,
        messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64 } }, { type: 'text', text: PROMPT }] }],
      });
      assert.equal(textOf(msg), expectedText());
    });

    test('max_tokens cuts the answer with stop_reason max_tokens', async () => {
      const msg = await client.messages.create({ model: alias, max_tokens: 5, messages: [{ role: 'user', content: PROMPT }] });
      assert.equal(msg.stop_reason, 'max_tokens');
      assert.equal(textOf(msg), expectedText().split(' ').slice(0, 5).join(' '));
      const streamed = await client.messages.stream({ model: alias, max_tokens: 5, messages: [{ role: 'user', content: PROMPT }] }).finalMessage();
      assert.equal(streamed.stop_reason, 'max_tokens');
      assert.equal(textOf(streamed), textOf(msg));
    });

    // Only Anthropic reports which stop sequence ended an answer; OpenAI and Gemini say plain
    // `stop` / `STOP` for both, so through them the client sees end_turn (the text is still cut).
    const reportsStop = alias === 'via-anthropic';
    test(`stop_sequences: the text before it, stop_reason ${reportsStop ? 'stop_sequence' : 'end_turn'}`, async () => {
      const stop = expectedText().split(' ')[3]!;
      const before = expectedText().slice(0, expectedText().indexOf(stop));
      const params = { model: alias, max_tokens: 1024, stop_sequences: [stop], messages: [{ role: 'user' as const, content: PROMPT }] };
      const msg = await client.messages.create(params);
      const streamed = await client.messages.stream(params).finalMessage();
      for (const m of [msg, streamed]) {
        assert.equal(textOf(m), before);
        assert.equal(m.stop_reason, reportsStop ? 'stop_sequence' : 'end_turn');
        assert.equal(m.stop_sequence, reportsStop ? stop : null);
      }
    });
  });
}

/** A raw POST /v1/messages, for what the SDK would not send. */
async function post(path: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; json: { type: string; error: { type: string; message: string } }; headers: Headers }> {
  const res = await fetch(`${stack.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers }, body });
  return { status: res.status, json: (await res.json()) as never, headers: res.headers };
}

describe('anthropic-shaped errors', () => {
  test('missing max_tokens: 400 invalid_request_error naming the field', async () => {
    const r = await post('/v1/messages', JSON.stringify({ model: 'via-openai', messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } });
  });

  test('missing max_tokens through the SDK is a BadRequestError', async () => {
    await assert.rejects(client.messages.create({ model: 'via-anthropic', messages: [{ role: 'user', content: 'hi' }] } as unknown as Anthropic.MessageCreateParamsNonStreaming), (e: unknown) => {
      assert.ok(e instanceof Anthropic.BadRequestError, String(e));
      assert.equal(e.status, 400);
      assert.match(e.message, /max_tokens: Field required/);
      return true;
    });
  });

  test('unknown model: 404 not_found_error listing the models', async () => {
    await assert.rejects(client.messages.create({ model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }), (e: unknown) => {
      assert.ok(e instanceof Anthropic.NotFoundError, String(e));
      const body = e.error as { type: string; error: { type: string; message: string } };
      assert.equal(body.type, 'error');
      assert.equal(body.error.type, 'not_found_error');
      assert.match(body.error.message, /no-such-model/);
      for (const alias of ALIASES) assert.ok(body.error.message.includes(alias), `lists ${alias}: ${body.error.message}`);
      return true;
    });
  });

  test('malformed JSON: 400 invalid_request_error', async () => {
    const r = await post('/v1/messages', '{"model": "via-openai", "max_tokens": 10,');
    assert.equal(r.status, 400);
    assert.equal(r.json.type, 'error');
    assert.equal(r.json.error.type, 'invalid_request_error');
    assert.match(r.json.error.message, /not valid JSON/);
  });

});

describe('upstream overload reaches an Anthropic client as overloaded_error 529', () => {
  // One attempt per request, so the fault is what the client sees (no retry hides it).
  let one: Stack;
  let oneClient: Anthropic;
  before(async () => {
    one = await startStack({ configure: (c) => withPolicy(c, policyWith({ maxAttempts: 1 })) });
    oneClient = new Anthropic({ baseURL: one.url, apiKey: 'x', maxRetries: 0 });
  });
  after(() => one.close());

  const overloaded = (e: unknown) => {
    assert.ok(e instanceof Anthropic.APIError, String(e));
    assert.equal(e.status, 529);
    assert.equal((e.error as { type: string }).type, 'error');
    assert.equal((e.error as { error: { type: string } }).error.type, 'overloaded_error');
    return true;
  };

  test('an Anthropic upstream 529 (JSON and stream)', async () => {
    one.sims.anthropic.faults.set([{ fault: { kind: 'status', status: 529 }, times: 2 }]);
    await assert.rejects(oneClient.messages.create({ model: 'via-anthropic', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }), overloaded);
    await assert.rejects(oneClient.messages.stream({ model: 'via-anthropic', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).finalMessage(), overloaded);
  });

  test('an OpenAI upstream 503 (its way of saying overloaded)', async () => {
    one.sims.openai.faults.set([{ fault: { kind: 'status', status: 503 }, times: 1 }]);
    await assert.rejects(oneClient.messages.create({ model: 'via-openai', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }), overloaded);
  });
});

describe('client headers as Anthropic clients send them', () => {
  const body = JSON.stringify({ model: 'via-openai', max_tokens: 1024, messages: [{ role: 'user', content: PROMPT }] });

  test('x-api-key (curl, older SDKs) is accepted', async () => {
    const r = await post('/v1/messages', body, { 'x-api-key': 'sk-ant-test-FAKE' });
    assert.equal(r.status, 200);
    assert.equal(r.json.type, 'message');
  });

  test('Authorization: Bearer (the SDK since 1.x) is accepted', async () => {
    const r = await post('/v1/messages', body, { authorization: 'Bearer sk-ant-test-FAKE' });
    assert.equal(r.status, 200);
    assert.equal(r.json.type, 'message');
  });

  test('anthropic-version and anthropic-beta are tolerated, and no version at all too', async () => {
    const withBeta = await post('/v1/messages', body, { 'anthropic-version': '2023-06-01', 'anthropic-beta': 'prompt-caching-2024-07-31' });
    assert.equal(withBeta.status, 200);
    const res = await fetch(`${stack.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(res.status, 200);
  });
});
