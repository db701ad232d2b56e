/**
 * Proves the simulated OpenAI API is SDK-faithful: the official `openai` npm
 * SDK, unmodified, talks to SimServer(openaiWire) on loopback for JSON,
 * streaming, tools, embeddings, models and errors.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { SimServer } from './engine.js';
import { openaiWire } from './openai-wire.js';

let sim: SimServer;
let client: OpenAI;
let origin: string;

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Current weather',
    parameters: { type: 'object', properties: { location: { type: 'string' }, days: { type: 'integer' } }, required: ['location', 'days'] },
  },
};

before(async () => {
  sim = new SimServer(openaiWire);
  origin = await sim.start();
  client = new OpenAI({ apiKey: 'sk-test-FAKE', baseURL: `${origin}/v1`, maxRetries: 0 });
});

after(async () => {
  await sim.stop();
});

const messages = [{ role: 'user' as const, content: 'Tell me about failover.' }];

test('JSON chat completion', async () => {
  const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
  assert.equal(res.object, 'chat.completion');
  assert.match(res.id, /^chatcmpl-/);
  assert.equal(res.model, 'gpt-4o-mini');
  assert.equal(res.choices[0]!.finish_reason, 'stop');
  assert.ok((res.choices[0]!.message.content ?? '').split(' ').length > 5);
  assert.equal(res.usage!.total_tokens, res.usage!.prompt_tokens + res.usage!.completion_tokens);
  assert.equal(typeof res.system_fingerprint, 'string');
});

test('streaming: the same answer, then a usage chunk, then [DONE]', async () => {
  const json = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } });
  let text = '';
  let finish: string | null = null;
  let usage: OpenAI.CompletionUsage | null | undefined;
  let first = true;
  for await (const chunk of stream) {
    assert.equal(chunk.object, 'chat.completion.chunk');
    if (first) assert.equal(chunk.choices[0]!.delta.role, 'assistant');
    first = false;
    const c = chunk.choices[0];
    if (c) {
      text += c.delta.content ?? '';
      finish = c.finish_reason ?? finish;
    } else usage = chunk.usage;
  }
  assert.equal(text, json.choices[0]!.message.content);
  assert.equal(finish, 'stop');
  assert.deepEqual(usage, json.usage);
});

test('streaming without include_usage sends no usage chunk', async () => {
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
  for await (const chunk of stream) {
    assert.equal(chunk.usage, undefined);
    assert.equal(chunk.choices.length, 1);
  }
});

test('tools: JSON and streamed calls accumulate to the same valid arguments', async () => {
  const json = await client.chat.completions.create({ model: 'gpt-4o', messages, tools: [weatherTool] });
  const call = json.choices[0]!.message.tool_calls![0]!;
  assert.equal(json.choices[0]!.finish_reason, 'tool_calls');
  assert.equal(json.choices[0]!.message.content, null);
  assert.ok(call.type === 'function');
  assert.deepEqual(JSON.parse(call.function.arguments), { location: 'Paris', days: 42 });

  // The SDK's stream helper checks and accumulates tool-call deltas itself.
  const runner = client.chat.completions.stream({ model: 'gpt-4o', messages, tools: [weatherTool] });
  const final = await runner.finalChatCompletion();
  const streamed = final.choices[0]!.message.tool_calls![0]!;
  assert.equal(final.choices[0]!.finish_reason, 'tool_calls');
  assert.ok(streamed.type === 'function');
  assert.equal(streamed.id, call.id);
  assert.equal(streamed.function.name, 'get_weather');
  assert.equal(streamed.function.arguments, call.function.arguments);

  // After the tool result, the model answers in text quoting it.
  const next = await client.chat.completions.create({
    model: 'gpt-4o',
    tools: [weatherTool],
    messages: [...messages, json.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: 'sunny, 21C' }],
  });
  assert.match(next.choices[0]!.message.content ?? '', /sunny, 21C/);
});

test('embeddings: SDK default (base64) and floats agree; dimensions respected', async () => {
  const a = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['hello', 'world'] });
  const b = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello', encoding_format: 'float' });
  assert.equal(a.data.length, 2);
  assert.equal(a.data[0]!.embedding.length, 8);
  assert.deepEqual(a.data[0]!.embedding, b.data[0]!.embedding);
  assert.notDeepEqual(a.data[0]!.embedding, a.data[1]!.embedding);
  const c = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello', dimensions: 16 });
  assert.equal(c.data[0]!.embedding.length, 16);
});

test('models list', async () => {
  const ids: string[] = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert.ok(ids.includes('gpt-4o-mini'));
});

test('errors reach the SDK as its typed exceptions', async () => {
  sim.faults.set([{ fault: { kind: 'status', status: 429, retryAfterSeconds: 3 }, times: 1 }]);
  const rl = await client.chat.completions.create({ model: 'gpt-4o', messages }).catch((e: unknown) => e);
  assert.ok(rl instanceof OpenAI.RateLimitError);
  assert.equal(rl.code, 'rate_limit_exceeded');
  assert.equal(rl.headers?.get('retry-after'), '3');
  assert.equal(rl.headers?.get('x-ratelimit-reset-requests'), '3s');
  assert.match(rl.requestID ?? '', /^req_/);

  sim.faults.set([{ fault: { kind: 'status', status: 429, variant: 'quota' }, times: 1 }]);
  const quota = await client.chat.completions.create({ model: 'gpt-4o', messages }).catch((e: unknown) => e);
  assert.ok(quota instanceof OpenAI.RateLimitError);
  assert.equal(quota.code, 'insufficient_quota');

  sim.faults.set([{ fault: { kind: 'status', status: 503 }, times: 1 }]);
  const over = await client.chat.completions.create({ model: 'gpt-4o', messages }).catch((e: unknown) => e);
  assert.ok(over instanceof OpenAI.InternalServerError);
  assert.match(over.message, /engine is currently overloaded/);

  const bad = await client.chat.completions.create({ model: '', messages }).catch((e: unknown) => e);
  assert.ok(bad instanceof OpenAI.BadRequestError);
  assert.match(bad.message, /you must provide a model parameter/);

  const noMessages = await client.chat.completions.create({ model: 'gpt-4o' } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming).catch((e: unknown) => e);
  assert.ok(noMessages instanceof OpenAI.BadRequestError);
  assert.equal(noMessages.param, 'messages');
});

test('missing credentials: 401 in OpenAI shape', async () => {
  const res = await fetch(`${origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o', messages }) });
  assert.equal(res.status, 401);
  const body = (await res.json()) as { error: { type: string; code: null; message: string } };
  assert.equal(body.error.type, 'invalid_request_error');
  assert.match(body.error.message, /You didn't provide an API key/);
});

test('a malformed frame makes the SDK fail the stream, not end it quietly', async () => {
  sim.faults.set([{ fault: { kind: 'malformed-after', after: 2 }, times: 1 }]);
  // The SDK logs the bad frame before throwing; keep test output clean.
  const quiet = new OpenAI({ apiKey: 'sk-test-FAKE', baseURL: `${origin}/v1`, maxRetries: 0, logLevel: 'off' });
  const stream = await quiet.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
  await assert.rejects(async () => {
    for await (const _ of stream) void _;
  }, SyntaxError);
});
