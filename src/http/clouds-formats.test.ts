/**
 * The clouds from every client format (the compatibility matrix's new columns): Chat Completions
 * clients answered by Claude on Bedrock and Vertex and Gemini on Vertex, Messages clients answered
 * by Azure OpenAI, and Responses clients answered by all four new types. Each goes through the
 * canonical model; the official SDKs judge text, streams, tools, images and usage.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { simAnswerText } from '../test-support/sim-answer.js';
import { startCloudStack, type CloudStack } from '../test-support/cloud-stack.js';

const PROMPT = 'Tell me about resilient gateways.';
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const expected = simAnswerText(PROMPT);
const schema = { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] };

let st: CloudStack;
let oa: OpenAI;
let an: Anthropic;
before(async () => {
  st = await startCloudStack();
  oa = new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0 });
  an = new Anthropic({ baseURL: st.url, apiKey: 'x', maxRetries: 0 });
});
after(() => st.close());

for (const alias of ['via-bedrock', 'via-vertex', 'via-vertex-gemini']) {
  describe(`Chat Completions -> ${alias}`, () => {
    test('JSON, streamed, images', async () => {
      const r = await oa.chat.completions.create({ model: alias, messages: [{ role: 'user', content: PROMPT }] });
      assert.equal(r.choices[0]!.message.content, expected);
      assert.equal(r.choices[0]!.finish_reason, 'stop');
      assert.equal(r.usage!.completion_tokens, 24);
      const stream = await oa.chat.completions.create({ model: alias, stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: PROMPT }] });
      let text = '';
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const c of stream) {
        text += c.choices[0]?.delta.content ?? '';
        if (c.usage) usage = c.usage;
      }
      assert.equal(text, expected);
      assert.equal(usage?.completion_tokens, 24);
      const img = await oa.chat.completions.create({ model: alias, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: PNG } }, { type: 'text', text: PROMPT }] }] });
      assert.equal(img.choices[0]!.message.content, expected);
    });

    test('tools, streamed and not, then the answer to the result', async () => {
      const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [{ type: 'function', function: { name: 'get_weather', parameters: schema } }];
      const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
      const first = await oa.chat.completions.create({ model: alias, messages, tools });
      assert.equal(first.choices[0]!.finish_reason, 'tool_calls');
      const call = first.choices[0]!.message.tool_calls![0]!;
      assert.ok(call.type === 'function');
      assert.deepEqual(JSON.parse(call.function.arguments), { location: 'Paris' });
      let args = '';
      for await (const c of await oa.chat.completions.create({ model: alias, messages, tools, stream: true })) args += c.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
      assert.deepEqual(JSON.parse(args), { location: 'Paris' });
      messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'sunny, 21C' });
      assert.equal((await oa.chat.completions.create({ model: alias, messages, tools })).choices[0]!.message.content, 'The tool returned: sunny, 21C');
    });
  });
}

describe('Messages -> via-azure', () => {
  test('JSON, streamed, images, max_tokens', async () => {
    const msg = await an.messages.create({ model: 'via-azure', max_tokens: 1024, messages: [{ role: 'user', content: PROMPT }] });
    assert.equal(msg.content[0]?.type === 'text' && msg.content[0].text, expected);
    assert.equal(msg.stop_reason, 'end_turn');
    assert.equal(msg.usage.output_tokens, 24);
    const streamed = await an.messages.stream({ model: 'via-azure', max_tokens: 1024, messages: [{ role: 'user', content: PROMPT }] }).finalMessage();
    assert.equal(streamed.content[0]?.type === 'text' && streamed.content[0].text, expected);
    const img = await an.messages.create({ model: 'via-azure', max_tokens: 1024, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG.split(',')[1]! } }, { type: 'text', text: PROMPT }] }] });
    assert.equal(img.content[0]?.type === 'text' && img.content[0].text, expected);
    const cut = await an.messages.create({ model: 'via-azure', max_tokens: 5, messages: [{ role: 'user', content: PROMPT }] });
    assert.equal(cut.stop_reason, 'max_tokens');
  });

  test('tools, streamed and not', async () => {
    const tools: Anthropic.Tool[] = [{ name: 'get_weather', input_schema: schema as Anthropic.Tool.InputSchema }];
    const first = await an.messages.create({ model: 'via-azure', max_tokens: 1024, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools });
    assert.equal(first.stop_reason, 'tool_use');
    assert.deepEqual(first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')?.input, { location: 'Paris' });
    const streamed = await an.messages.stream({ model: 'via-azure', max_tokens: 1024, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools }).finalMessage();
    assert.deepEqual(streamed.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')?.input, { location: 'Paris' });
  });
});

for (const alias of ['via-bedrock', 'via-vertex', 'via-vertex-gemini', 'via-azure']) {
  describe(`Responses -> ${alias}`, () => {
    test('create and stream: text, completed, usage; an image is accepted', async () => {
      const res = await oa.responses.create({ model: alias, input: PROMPT });
      assert.equal(res.status, 'completed');
      assert.equal(res.output_text, expected);
      assert.equal(res.usage!.output_tokens, 24);
      const final = await oa.responses.stream({ model: alias, input: PROMPT }).finalResponse();
      assert.equal(final.output_text, expected);
      const img = await oa.responses.create({ model: alias, input: [{ role: 'user', content: [{ type: 'input_image', image_url: PNG, detail: 'auto' }, { type: 'input_text', text: PROMPT }] }] });
      assert.equal(img.output_text, expected);
    });

    test('a function tool, then its output', async () => {
      const tool: OpenAI.Responses.FunctionTool = { type: 'function', name: 'get_weather', parameters: schema, strict: false };
      const input: OpenAI.Responses.ResponseInputItem[] = [{ role: 'user', content: 'Weather in Paris? Use the tool.' }];
      const first = await oa.responses.create({ model: alias, input, tools: [tool] });
      const call = first.output.find((o): o is OpenAI.Responses.ResponseFunctionToolCall => o.type === 'function_call');
      assert.ok(call);
      assert.deepEqual(JSON.parse(call.arguments), { location: 'Paris' });
      const streamed = await oa.responses.stream({ model: alias, input, tools: [tool] }).finalResponse();
      assert.ok(streamed.output.some((o) => o.type === 'function_call'));
      input.push(...(first.output as OpenAI.Responses.ResponseInputItem[]), { type: 'function_call_output', call_id: call.call_id, output: 'sunny, 21C' });
      assert.equal((await oa.responses.create({ model: alias, input, tools: [tool] })).output_text, 'The tool returned: sunny, 21C');
    });
  });
}
