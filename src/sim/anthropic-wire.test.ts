/**
 * The simulated Anthropic API must be faithful enough that the official
 * @anthropic-ai/sdk accepts it unchanged: these drive the real SDK against
 * SimServer(anthropicWire) on loopback.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { SimServer } from './engine.js';
import { anthropicWire } from './anthropic-wire.js';

let sim: SimServer;
let client: Anthropic;

before(async () => {
  sim = new SimServer(anthropicWire);
  const origin = await sim.start();
  client = new Anthropic({ apiKey: 'sk-ant-test-FAKE', baseURL: origin, maxRetries: 0 });
});
after(() => sim.stop());

const tool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

test('messages.create returns a message the SDK types describe', async () => {
  const msg = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Say hello' }] });
  assert.match(msg.id, /^msg_/);
  assert.equal(msg.type, 'message');
  assert.equal(msg.role, 'assistant');
  assert.equal(msg.model, 'claude-sonnet-4-5');
  assert.equal(msg.stop_reason, 'end_turn');
  assert.equal(msg.content[0]?.type, 'text');
  assert.ok(msg.content[0]?.type === 'text' && msg.content[0].text.length > 0);
  assert.ok(msg.usage.input_tokens > 0 && msg.usage.output_tokens > 0);
});

test('messages.stream().finalMessage() accumulates the streamed text with usage', async () => {
  const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Say hello' }] });
  let deltas = '';
  stream.on('text', (t) => (deltas += t));
  const msg = await stream.finalMessage();
  const first = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Say hello' }] });
  assert.equal(msg.content[0]?.type === 'text' && msg.content[0].text, deltas);
  assert.equal(deltas, first.content[0]?.type === 'text' ? first.content[0].text : '', 'streamed and non-streamed answers agree');
  assert.equal(msg.stop_reason, 'end_turn');
  assert.equal(msg.usage.output_tokens, first.usage.output_tokens);
  assert.equal(msg.usage.input_tokens, first.usage.input_tokens);
});

test('a tool call, streamed, parses into tool_use input; the tool result round trip ends the turn', async () => {
  const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 200, tools: [tool], messages: [{ role: 'user', content: 'Weather in Paris?' }] });
  const msg = await stream.finalMessage();
  assert.equal(msg.stop_reason, 'tool_use');
  const use = msg.content.find((b) => b.type === 'tool_use');
  assert.ok(use && use.type === 'tool_use');
  assert.equal(use.name, 'get_weather');
  assert.deepEqual(use.input, { city: 'Paris' });
  assert.match(use.id, /^toolu_/);

  const next = await client.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 200,
    tools: [tool],
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: msg.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '18C and sunny' }] },
    ],
  });
  assert.equal(next.stop_reason, 'end_turn');
  assert.ok(next.content[0]?.type === 'text' && next.content[0].text.includes('18C'));
});

test('tool_choice and stop_sequences behave like Anthropic', async () => {
  const forced = await client.messages.create({
    model: 'claude-sonnet-4-5', max_tokens: 50,
    tools: [tool, { name: 'get_time', input_schema: { type: 'object' } }],
    tool_choice: { type: 'tool', name: 'get_time' },
    messages: [{ role: 'user', content: 'x' }],
  });
  assert.equal(forced.content[0]?.type === 'tool_use' && forced.content[0].name, 'get_time');
  const cut = await client.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 3, messages: [{ role: 'user', content: 'x' }] });
  assert.equal(cut.stop_reason, 'max_tokens');
});

test('count_tokens and models.list work through the SDK', async () => {
  const count = await client.messages.countTokens({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'How many tokens is this?' }] });
  assert.ok(count.input_tokens > 0);
  const ids: string[] = [];
  for await (const m of client.models.list()) {
    assert.equal(m.type, 'model');
    assert.ok(m.display_name.length > 0);
    assert.ok(!Number.isNaN(Date.parse(m.created_at)));
    ids.push(m.id);
  }
  assert.ok(ids.length > 0);
});

test('bad requests and auth fail with the SDK\'s typed errors', async () => {
  await assert.rejects(
    // @ts-expect-error max_tokens is required: the sim must say so like Anthropic does
    client.messages.create({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'x' }] }),
    (e: unknown) => e instanceof Anthropic.BadRequestError && /max_tokens: Field required/.test(e.message),
  );
  const noKey = new Anthropic({ apiKey: '', baseURL: sim.url, maxRetries: 0, authToken: null });
  await assert.rejects(noKey.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }), (e: unknown) => e instanceof Anthropic.APIError && e.status === 401);
});

test('faults: 529 overloaded, 429 with retry-after and rate-limit headers, mid-stream malformed frame', async () => {
  sim.faults.set([{ fault: { kind: 'status', status: 529 }, times: 1 }]);
  await assert.rejects(client.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }), (e: unknown) => {
    assert.ok(e instanceof Anthropic.APIError);
    assert.equal(e.status, 529);
    assert.deepEqual(e.error, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: e.requestID });
    return true;
  });

  sim.faults.set([{ fault: { kind: 'status', status: 429, retryAfterSeconds: 3 }, times: 1 }]);
  await assert.rejects(client.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }), (e: unknown) => {
    assert.ok(e instanceof Anthropic.RateLimitError);
    assert.equal(e.headers?.get('retry-after'), '3');
    assert.equal(e.headers?.get('anthropic-ratelimit-requests-remaining'), '0');
    assert.ok(!Number.isNaN(Date.parse(e.headers?.get('anthropic-ratelimit-requests-reset') ?? '')));
    return true;
  });

  sim.faults.set([{ fault: { kind: 'malformed-after', after: 3 }, times: 1 }]);
  const stream = client.messages.stream({ model: 'm', max_tokens: 50, messages: [{ role: 'user', content: 'x' }] });
  await assert.rejects(stream.finalMessage(), /JSON/, 'the SDK must choke on the malformed frame, like on a real truncated one');
  sim.faults.set([]);
});
