/**
 * The simulators honour structured output and thinking as their APIs do, judged by the official
 * SDKs' own parse helpers (OpenAI `chat.completions.parse`, Anthropic `messages.parse`) and by
 * the 400s each API gives for requests it refuses. Gemini has no SDK here: plain fetch.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import Anthropic from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { z } from 'zod';
import { SimServer } from './engine.js';
import { openaiWire } from './openai-wire.js';
import { anthropicWire } from './anthropic-wire.js';
import { geminiWire } from './gemini-wire.js';

const Weather = z.object({ city: z.string(), celsius: z.number(), sky: z.enum(['clear', 'cloudy']), note: z.string().nullable() });
const messages = [{ role: 'user' as const, content: 'Weather in Paris as JSON?' }];

const sims: SimServer[] = [];
async function start(wire: ConstructorParameters<typeof SimServer>[0]): Promise<string> {
  const sim = new SimServer(wire);
  sims.push(sim);
  return sim.start();
}
after(() => Promise.all(sims.map((s) => s.stop())));

describe('OpenAI sim', () => {
  let client: OpenAI;
  before(async () => {
    client = new OpenAI({ baseURL: `${await start(openaiWire)}/v1`, apiKey: 'sk-test-FAKE', maxRetries: 0 });
  });

  test('chat.completions.parse: JSON and streamed answers parse against the zod schema', async () => {
    const res = await client.chat.completions.parse({ model: 'gpt-4o-mini', messages, response_format: zodResponseFormat(Weather, 'weather') });
    assert.deepEqual(res.choices[0]!.message.parsed, { city: 'sim-city', celsius: 42, sky: 'clear', note: 'sim-note' });
    const final = await client.chat.completions.stream({ model: 'gpt-4o-mini', messages, response_format: zodResponseFormat(Weather, 'weather') }).finalChatCompletion();
    assert.deepEqual(final.choices[0]!.message.parsed, res.choices[0]!.message.parsed);
  });

  test("strict mode's rules and JSON mode's word are enforced as OpenAI does", async () => {
    const loose = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, required: ['a'], additionalProperties: false };
    await assert.rejects(client.chat.completions.create({ model: 'gpt-4o-mini', messages, response_format: { type: 'json_schema', json_schema: { name: 'x', schema: loose, strict: true } } }), (e: unknown) => {
      assert.ok(e instanceof OpenAI.BadRequestError);
      assert.match(e.message, /'required' is required to be supplied.*Missing 'b'/);
      return true;
    });
    const ok = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, response_format: { type: 'json_schema', json_schema: { name: 'x', schema: loose } } });
    assert.deepEqual(JSON.parse(ok.choices[0]!.message.content!), { a: 'sim-a', b: 'sim-b' });
    await assert.rejects(client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_object' } }), /must contain the word 'json'/);
  });

  test('reasoning_effort: reasoning tokens billed as completion tokens, reported apart', async () => {
    const plain = await client.chat.completions.create({ model: 'o4-mini', messages });
    const res = await client.chat.completions.create({ model: 'o4-mini', messages, reasoning_effort: 'high' });
    const reasoning = res.usage!.completion_tokens_details!.reasoning_tokens!;
    assert.ok(reasoning > 0);
    assert.equal(res.usage!.completion_tokens, plain.usage!.completion_tokens + reasoning);
    assert.equal(res.choices[0]!.message.content, plain.choices[0]!.message.content);
  });
});

describe('Anthropic sim', () => {
  let client: Anthropic;
  before(async () => {
    client = new Anthropic({ baseURL: await start(anthropicWire), apiKey: 'sk-ant-test-FAKE', maxRetries: 0 });
  });

  test('messages.parse and stream().finalMessage() parse output_config.format answers', async () => {
    const params = { model: 'claude-haiku-4-5', max_tokens: 500, messages, output_config: { format: zodOutputFormat(Weather) } };
    const msg = await client.messages.parse(params);
    assert.deepEqual(msg.parsed_output, { city: 'sim-city', celsius: 42, sky: 'clear', note: 'sim-note' });
    const streamed = await client.messages.stream(params).finalMessage();
    assert.deepEqual(streamed.parsed_output, msg.parsed_output);
  });

  test('thinking: a signed thinking block first, billed as output; the rules of thinking are 400s', async () => {
    const base = { model: 'claude-haiku-4-5', max_tokens: 3000, messages };
    const msg = await client.messages.create({ ...base, thinking: { type: 'enabled', budget_tokens: 2000 } });
    assert.equal(msg.content[0]!.type, 'thinking');
    const first = msg.content[0]!;
    assert.ok(first.type === 'thinking' && first.signature.length > 0);
    assert.equal(msg.content[1]!.type, 'text');
    const streamed = await client.messages.stream({ ...base, thinking: { type: 'enabled', budget_tokens: 2000 } }).finalMessage();
    assert.deepEqual(streamed.content.map((b) => b.type), ['thinking', 'text']);
    assert.equal(streamed.usage.output_tokens, msg.usage.output_tokens);
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ thinking: { type: 'enabled', budget_tokens: 500 } }, /greater than or equal to 1024/],
      [{ thinking: { type: 'enabled', budget_tokens: 3000 } }, /max_tokens` must be greater/],
      [{ thinking: { type: 'enabled', budget_tokens: 2000 }, temperature: 0.2 }, /temperature` may only be set to 1/],
      [{ thinking: { type: 'enabled', budget_tokens: 2000 }, tools: [{ name: 'f', input_schema: { type: 'object' } }], tool_choice: { type: 'any' } }, /forces tool use/],
      [
        {
          thinking: { type: 'enabled', budget_tokens: 2000 },
          tools: [{ name: 'f', input_schema: { type: 'object' } }],
          messages: [...messages, { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }] }],
        },
        /must start with a thinking block/,
      ],
    ];
    for (const [extra, message] of bad) {
      await assert.rejects(client.messages.create({ ...base, ...extra } as Anthropic.MessageCreateParamsNonStreaming), (e: unknown) => e instanceof Anthropic.BadRequestError && message.test(e.message));
    }
  });
});

describe('Gemini sim', () => {
  let origin: string;
  before(async () => {
    origin = await start(geminiWire);
  });
  const generate = (generationConfig: Record<string, unknown>) =>
    fetch(`${origin}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': 'AIza-FAKE' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Weather?' }] }], generationConfig }),
    });
  const textOf = async (res: Response) => ((await res.json()) as { candidates: Array<{ content: { parts: Array<{ text: string }> } }> }).candidates[0]!.content.parts[0]!.text;

  test('responseSchema (OpenAPI subset) and responseJsonSchema answers are JSON for the schema', async () => {
    const schema = { type: 'OBJECT', properties: { city: { type: 'STRING' }, celsius: { type: 'NUMBER' } }, required: ['city', 'celsius'] };
    assert.deepEqual(JSON.parse(await textOf(await generate({ responseMimeType: 'application/json', responseSchema: schema }))), { city: 'sim-city', celsius: 42 });
    const json = z.toJSONSchema(Weather);
    assert.deepEqual(Weather.parse(JSON.parse(await textOf(await generate({ responseMimeType: 'application/json', responseJsonSchema: json })))), { city: 'sim-city', celsius: 42, sky: 'clear', note: 'sim-note' });
    const refused = await generate({ responseSchema: schema });
    assert.equal(refused.status, 400);
    const unknown = await generate({ responseMimeType: 'application/json', responseSchema: { type: 'OBJECT', properties: { a: { type: 'STRING' } }, additionalProperties: false } });
    assert.equal(unknown.status, 400, 'a key outside the OpenAPI subset is refused');
  });

  test('thinkingConfig: budget or level, not both; thoughts counted apart', async () => {
    const res = await generate({ thinkingConfig: { thinkingBudget: 1024 } });
    const usage = ((await res.json()) as { usageMetadata: { thoughtsTokenCount?: number } }).usageMetadata;
    assert.ok((usage.thoughtsTokenCount ?? 0) > 0);
    assert.equal((await generate({ thinkingConfig: { thinkingBudget: 1024, thinkingLevel: 'LOW' } })).status, 400);
    assert.equal((await generate({ thinkingConfig: { thinkingLevel: 'SOME' } })).status, 400);
  });
});
