/**
 * Same model, another cloud (issue #29), end to end: the official `@anthropic-ai/sdk` against the
 * gateway in front of simulated AWS Bedrock (SigV4 verified, event-stream framing) and Vertex AI
 * (bearer token checked, rawPredict paths; Claude and Gemini), and the official `openai` SDK in
 * front of simulated Azure OpenAI (deployment paths, api-version, api-key). Text word for word,
 * streaming, tools, images, stop reasons and usage from each new type.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { planAnswer } from '../sim/script.js';
import { startCloudStack, type CloudStack } from '../test-support/cloud-stack.js';

const PROMPT = 'Tell me about resilient gateways.';
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

function expectedText(prompt = PROMPT): string {
  const a = planAnswer({ model: '', lastUserText: prompt, tools: [], inputTokens: 0 });
  assert.ok(a.kind === 'text');
  return a.text;
}

const textOf = (msg: Anthropic.Message) => msg.content.map((b) => (b.type === 'text' ? b.text : '')).join('');

let stack: CloudStack;
let claude: Anthropic;
let openai: OpenAI;

before(async () => {
  stack = await startCloudStack();
  claude = new Anthropic({ baseURL: stack.url, apiKey: 'x', maxRetries: 0 });
  openai = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'x', maxRetries: 0 });
});
after(() => stack.close());

const CLAUDE_ALIASES = [
  ['via-bedrock', 'bedrock'],
  ['via-vertex', 'vertex-anthropic'],
  ['via-vertex-gemini', 'vertex-gemini'],
] as const;

for (const [alias, kind] of CLAUDE_ALIASES) {
  describe(`anthropic SDK -> ${alias}`, () => {
    test('messages.create: text, end_turn and usage', async () => {
      const msg = await claude.messages.create({ model: alias, max_tokens: 1024, system: 'Be brief.', messages: [{ role: 'user', content: PROMPT }] });
      assert.equal(textOf(msg), expectedText());
      assert.equal(msg.stop_reason, 'end_turn');
      assert.equal(msg.usage.output_tokens, 24);
      assert.ok(msg.usage.input_tokens > 0);
    });

    test('messages.stream: deltas add up to finalMessage(), with the proper end', async () => {
      const stream = claude.messages.stream({ model: alias, max_tokens: 1024, messages: [{ role: 'user', content: PROMPT }] });
      let deltas = '';
      const types: string[] = [];
      stream.on('text', (t) => (deltas += t));
      stream.on('streamEvent', (e) => types.push(e.type));
      const msg = await stream.finalMessage();
      assert.equal(deltas, expectedText());
      assert.equal(textOf(msg), expectedText());
      assert.equal(msg.stop_reason, 'end_turn');
      assert.equal(msg.usage.output_tokens, 24);
      assert.deepEqual(types.slice(-2), ['message_delta', 'message_stop']);
    });

    test('tools: a tool_use with schema-derived input, streamed and not, then the answer to its result', async () => {
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'What is the weather in Paris? Use the tool.' }];
      const first = await claude.messages.create({ model: alias, max_tokens: 1024, messages, tools: [weatherTool] });
      assert.equal(first.stop_reason, 'tool_use');
      const use = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      assert.ok(use);
      assert.deepEqual(use.input, { location: 'Paris' });
      const streamed = await claude.messages.stream({ model: alias, max_tokens: 1024, messages, tools: [weatherTool] }).finalMessage();
      assert.equal(streamed.stop_reason, 'tool_use');
      assert.deepEqual(streamed.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use')?.input, { location: 'Paris' });
      messages.push({ role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'sunny, 21C' }] });
      const second = await claude.messages.create({ model: alias, max_tokens: 1024, messages, tools: [weatherTool] });
      assert.equal(textOf(second), 'The tool returned: sunny, 21C');
    });

    test('an image block is accepted', async () => {
      const msg = await claude.messages.create({
        model: alias,
        max_tokens: 1024,
        messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64 } }, { type: 'text', text: PROMPT }] }],
      });
      assert.equal(textOf(msg), expectedText());
    });

    test('max_tokens: stop_reason max_tokens, streamed and not', async () => {
      const msg = await claude.messages.create({ model: alias, max_tokens: 5, messages: [{ role: 'user', content: PROMPT }] });
      assert.equal(msg.stop_reason, 'max_tokens');
      assert.equal(textOf(msg), expectedText().split(' ').slice(0, 5).join(' '));
      const streamed = await claude.messages.stream({ model: alias, max_tokens: 5, messages: [{ role: 'user', content: PROMPT }] }).finalMessage();
      assert.equal(streamed.stop_reason, 'max_tokens');
    });

    if (kind !== 'vertex-gemini') {
      test('stop_sequences: Claude on this cloud reports the sequence, as Anthropic does', async () => {
        const stop = expectedText().split(' ')[3]!;
        const msg = await claude.messages.create({ model: alias, max_tokens: 1024, stop_sequences: [stop], messages: [{ role: 'user', content: PROMPT }] });
        assert.equal(msg.stop_reason, 'stop_sequence');
        assert.equal(msg.stop_sequence, stop);
      });
    }
  });
}

describe('what went over the wire', () => {
  test('Bedrock: SigV4-signed (verified by the simulator), model in the path, bedrock-2023-05-31, no model or stream in the body', async () => {
    const before = stack.seen.bedrock.length;
    await claude.messages.stream({ model: 'via-bedrock', max_tokens: 64, messages: [{ role: 'user', content: PROMPT }] }).finalMessage();
    const r = stack.seen.bedrock[before]!;
    assert.equal(r.url, '/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream');
    assert.match(String(r.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=[a-z;-]*host;[a-z;-]*x-amz-date/);
    const body = JSON.parse(r.body.toString()) as Record<string, unknown>;
    assert.equal(body.anthropic_version, 'bedrock-2023-05-31');
    assert.equal('model' in body, false);
    assert.equal('stream' in body, false);
    assert.equal(stack.sims.bedrock.stats.byStatus[200]! > 0, true);
  });

  test('Vertex: bearer token, rawPredict paths with project and region, vertex-2023-10-16', async () => {
    const before = stack.seen['vertex-anthropic'].length;
    await claude.messages.create({ model: 'via-vertex', max_tokens: 64, messages: [{ role: 'user', content: PROMPT }] });
    await claude.messages.stream({ model: 'via-vertex', max_tokens: 64, messages: [{ role: 'user', content: PROMPT }] }).finalMessage();
    const [json, streamed] = stack.seen['vertex-anthropic'].slice(before);
    assert.equal(json!.url, '/v1/projects/sim-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict');
    assert.equal(streamed!.url, '/v1/projects/sim-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict');
    assert.match(String(json!.headers.authorization), /^Bearer ya29\./);
    const body = JSON.parse(streamed!.body.toString()) as Record<string, unknown>;
    assert.equal(body.anthropic_version, 'vertex-2023-10-16');
    assert.equal(body.stream, true);
    assert.equal('model' in body, false);
  });

  test('a request the simulated AWS cannot verify is refused: a wrong secret gets InvalidSignatureException, not an answer', async () => {
    const { startCloudStack: start } = await import('../test-support/cloud-stack.js');
    const st = await start({
      configure: (c) => ({ ...c, providers: c.providers.map((p) => (p.name === 'sim-bedrock' ? { ...p, awsKeys: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-the-secret-EXAMPLE' } } : p)) }),
    });
    try {
      const c = new Anthropic({ baseURL: st.url, apiKey: 'x', maxRetries: 0 });
      await assert.rejects(c.messages.create({ model: 'via-bedrock', max_tokens: 64, messages: [{ role: 'user', content: PROMPT }] }), (e: unknown) => {
        assert.ok(e instanceof Anthropic.APIError);
        assert.match(e.message, /InvalidSignatureException/);
        return true;
      });
      assert.equal(st.sims.bedrock.stats.byStatus[403], 1);
    } finally {
      await st.close();
    }
  });
});

describe('openai SDK -> via-azure', () => {
  test('chat.completions: text, finish_reason and usage; the deployment path, api-version and api-key', async () => {
    const before = stack.seen.azure.length;
    const r = await openai.chat.completions.create({ model: 'via-azure', messages: [{ role: 'user', content: PROMPT }] });
    assert.equal(r.choices[0]!.message.content, expectedText());
    assert.equal(r.choices[0]!.finish_reason, 'stop');
    assert.ok(r.usage && r.usage.completion_tokens === 24 && r.usage.prompt_tokens > 0);
    const seen = stack.seen.azure[before]!;
    assert.equal(seen.url, '/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21');
    assert.equal(seen.headers['api-key'], 'azure-sim-FAKE-key-0000');
    assert.equal(seen.headers.authorization, undefined);
  });

  test('streaming with content-filter annotations and the prompt-filter chunk: deltas add up, usage at the end', async () => {
    const stream = await openai.chat.completions.create({ model: 'via-azure', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: PROMPT }] });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    assert.equal(text, expectedText());
    assert.equal(finish, 'stop');
    assert.equal(usage?.completion_tokens, 24);
  });

  test('tools, streamed and not, then the answer to the tool result', async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } } }];
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await openai.chat.completions.create({ model: 'via-azure', messages, tools });
    assert.equal(first.choices[0]!.finish_reason, 'tool_calls');
    const call = first.choices[0]!.message.tool_calls![0]!;
    assert.ok(call.type === 'function');
    assert.deepEqual(JSON.parse(call.function.arguments), { location: 'Paris' });
    const stream = await openai.chat.completions.create({ model: 'via-azure', messages, tools, stream: true });
    let args = '';
    for await (const chunk of stream) args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
    assert.deepEqual(JSON.parse(args), { location: 'Paris' });
    messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'sunny, 21C' });
    const second = await openai.chat.completions.create({ model: 'via-azure', messages, tools });
    assert.equal(second.choices[0]!.message.content, 'The tool returned: sunny, 21C');
  });

  test('an image part is accepted; max_tokens cuts with finish_reason length', async () => {
    const r = await openai.chat.completions.create({
      model: 'via-azure',
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } }, { type: 'text', text: PROMPT }] }],
    });
    assert.equal(r.choices[0]!.message.content, expectedText());
    const cut = await openai.chat.completions.create({ model: 'via-azure', max_tokens: 5, messages: [{ role: 'user', content: PROMPT }] });
    assert.equal(cut.choices[0]!.finish_reason, 'length');
  });

  test("Azure's content_filter 400 reaches the client as a 400 naming the filter, and is not failed over", async () => {
    const before = stack.sims.azure.stats.requests + stack.sims.openai.stats.requests;
    await assert.rejects(openai.chat.completions.create({ model: 'via-azure', messages: [{ role: 'user', content: 'please trip the content filter' }] }), (e: unknown) => {
      assert.ok(e instanceof OpenAI.BadRequestError);
      assert.match(e.message, /content management policy/);
      return true;
    });
    assert.equal(stack.sims.azure.stats.requests + stack.sims.openai.stats.requests - before, 1);
  });
});
