/**
 * Structured output survives translation (issue #24): the official SDKs' parse helpers —
 * Anthropic `messages.parse` with `output_config.format`, OpenAI `chat.completions.parse` with
 * `response_format: json_schema`, `responses.parse` with `text.format` — get JSON valid for
 * their schema through every target type, JSON and streamed; each upstream receives the schema
 * in its own field; a target that cannot enforce it is skipped, or the client gets a 400 naming
 * its own field.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { zodResponseFormat, zodTextFormat } from 'openai/helpers/zod';
import Anthropic from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { z } from 'zod';
import { startStack, type Stack } from '../test-support/stack.js';

const Weather = z.object({ city: z.string(), celsius: z.number(), sky: z.enum(['clear', 'cloudy']), note: z.string().nullable() });
/** What every simulator answers for Weather (src/sim/schema-value.ts). */
const EXPECTED = { city: 'sim-city', celsius: 42, sky: 'clear', note: 'sim-note' };
const PROMPT = 'What is the weather in Paris? Answer in JSON.';

/** One alias per target type; Anthropic and Gemini on models that have structured outputs and thinking. */
const TARGETS = [
  { alias: 'via-openai', provider: 'sim-openai' },
  { alias: 'via-compat', provider: 'sim-compat' },
  { alias: 'sonnet', provider: 'sim-anthropic' },
  { alias: 'flash', provider: 'sim-gemini' },
] as const;

let stack: Stack;
let openai: OpenAI;
let anthropic: Anthropic;
/** The bodies the simulators received, by path. */
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
        // Claude 3.5 Haiku has no structured outputs: such requests go on to OpenAI.
        { name: 'haiku-then-openai', targets: [{ provider: 'sim-anthropic', model: 'claude-3-5-haiku-latest' }, { provider: 'sim-openai', model: 'gpt-4o-mini' }] },
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

describe('Anthropic messages.parse (output_config.format) through every target type', () => {
  const params = { max_tokens: 1000, messages: [{ role: 'user' as const, content: PROMPT }], output_config: { format: zodOutputFormat(Weather) } };
  for (const { alias, provider } of TARGETS) {
    test(`${alias}: parsed_output, JSON and streamed`, async () => {
      // parse() returns a plain promise: the serving target is read from a create() of the same request.
      const { response } = await anthropic.messages.create({ ...params, model: alias }).withResponse();
      assert.equal(response.headers.get('x-switchyard-provider'), provider);
      assert.deepEqual((await anthropic.messages.parse({ ...params, model: alias })).parsed_output, EXPECTED);
      const streamed = await anthropic.messages.stream({ ...params, model: alias }).finalMessage();
      assert.deepEqual(streamed.parsed_output, EXPECTED);
    });
  }

  test('the OpenAI target receives the JSON schema as response_format json_schema, enforced; Gemini as responseSchema', async () => {
    await anthropic.messages.parse({ ...params, model: 'via-openai' });
    const rf = lastBody('/v1/chat/completions').response_format as { type: string; json_schema: { name: string; strict: boolean; schema: { properties: Record<string, unknown> } } };
    assert.equal(rf.type, 'json_schema');
    assert.equal(rf.json_schema.strict, true);
    assert.deepEqual(Object.keys(rf.json_schema.schema.properties), ['city', 'celsius', 'sky', 'note']);
    await anthropic.messages.parse({ ...params, model: 'flash' });
    const gen = lastBody(':generateContent').generationConfig as { responseMimeType: string; responseSchema: { type: string } };
    assert.equal(gen.responseMimeType, 'application/json');
    assert.equal(gen.responseSchema.type, 'OBJECT');
  });

  test('the Anthropic target gets the request as sent (pass-through)', async () => {
    await anthropic.messages.parse({ ...params, model: 'sonnet' });
    assert.deepEqual(lastBody('/v1/messages').output_config, JSON.parse(JSON.stringify(params.output_config)));
  });
});

describe('OpenAI chat.completions.parse (response_format json_schema) through every target type', () => {
  const params = { messages: [{ role: 'user' as const, content: PROMPT }], response_format: zodResponseFormat(Weather, 'weather') };
  for (const { alias, provider } of TARGETS) {
    test(`${alias}: parsed, JSON and streamed`, async () => {
      const { data, response } = await openai.chat.completions.parse({ ...params, model: alias }).withResponse();
      assert.equal(response.headers.get('x-switchyard-provider'), provider);
      assert.deepEqual(data.choices[0]!.message.parsed, EXPECTED);
      const streamed = await openai.chat.completions.stream({ ...params, model: alias }).finalChatCompletion();
      assert.deepEqual(streamed.choices[0]!.message.parsed, EXPECTED);
    });
  }

  test('the Anthropic target receives it as output_config.format', async () => {
    await openai.chat.completions.parse({ ...params, model: 'sonnet' });
    const oc = lastBody('/v1/messages').output_config as { format: { type: string; schema: { additionalProperties: boolean } } };
    assert.equal(oc.format.type, 'json_schema');
    assert.equal(oc.format.schema.additionalProperties, false);
  });

  test('Responses responses.parse (text.format) through Anthropic and Gemini targets', async () => {
    for (const model of ['sonnet', 'flash']) {
      const res = await openai.responses.parse({ model, input: PROMPT, text: { format: zodTextFormat(Weather, 'weather') } });
      assert.deepEqual(res.output_parsed, EXPECTED, model);
    }
  });
});

describe('a target that cannot enforce the schema is skipped', () => {
  test('a Claude model without structured outputs: the next target answers; alone, a 400 naming the field', async () => {
    const body = { messages: [{ role: 'user' as const, content: PROMPT }], response_format: zodResponseFormat(Weather, 'weather') };
    const { data, response } = await openai.chat.completions.parse({ ...body, model: 'haiku-then-openai' }).withResponse();
    assert.equal(response.headers.get('x-switchyard-provider'), 'sim-openai');
    assert.deepEqual(data.choices[0]!.message.parsed, EXPECTED);
    await assert.rejects(openai.chat.completions.parse({ ...body, model: 'via-anthropic' }), (e: unknown) => {
      assert.ok(e instanceof OpenAI.BadRequestError, String(e));
      assert.equal(e.param, 'response_format');
      assert.equal(e.code, 'unsupported_by_target');
      assert.match(e.message, /claude-3-5-haiku-latest has no structured outputs/);
      return true;
    });
  });

  test('JSON mode (no schema) to Anthropic: skipped; alone, a 400', async () => {
    const body = { messages: [{ role: 'user' as const, content: 'Reply in JSON.' }], response_format: { type: 'json_object' as const } };
    const { data, response } = await openai.chat.completions.create({ ...body, model: 'haiku-then-openai' }).withResponse();
    assert.equal(response.headers.get('x-switchyard-provider'), 'sim-openai');
    assert.ok(JSON.parse(data.choices[0]!.message.content!));
    await assert.rejects(openai.chat.completions.create({ ...body, model: 'sonnet' }), (e: unknown) => e instanceof OpenAI.BadRequestError && e.param === 'response_format' && /'json_object' can't be enforced/.test(e.message));
  });

  test("Messages: the message names the client's own field", async () => {
    // An Anthropic client's request reaches an Anthropic target as sent; a translated one may be refused,
    // e.g. Responses text.format json_object.
    await assert.rejects(openai.responses.create({ model: 'sonnet', input: 'Reply in JSON.', text: { format: { type: 'json_object' } } }), (e: unknown) => {
      assert.ok(e instanceof OpenAI.BadRequestError, String(e));
      assert.equal(e.param, 'text.format');
      return true;
    });
  });
});
