/**
 * POST /v1/messages/count_tokens through the gateway with the official
 * `@anthropic-ai/sdk` (`client.messages.countTokens`): the Anthropic target's own
 * count where it has one, a labelled estimate elsewhere, Anthropic-shaped errors.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startStack, type Stack } from '../test-support/stack.js';
import { countTokens } from '../sim/script.js';
import { IMAGE_TOKENS } from '../core/token-estimate.js';

const SYSTEM = 'You are terse.';
const PROMPT = 'How many tokens is this sentence, roughly?';
const tools: Anthropic.Tool[] = [
  { name: 'get_weather', description: 'Current weather for a city', input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } },
];
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

let stack: Stack;
let client: Anthropic;

before(async () => {
  stack = await startStack();
  client = new Anthropic({ baseURL: stack.url, apiKey: 'x', maxRetries: 0 });
});
after(() => stack.close());

describe('count_tokens', () => {
  test('via-anthropic: the upstream count, labelled upstream', async () => {
    const { data, response } = await client.messages.countTokens({ model: 'via-anthropic', system: SYSTEM, messages: [{ role: 'user', content: PROMPT }], tools }).withResponse();
    // What the simulated Anthropic API counts (src/sim/anthropic-wire.ts): the gateway must answer exactly that.
    assert.equal(data.input_tokens, countTokens(`${SYSTEM} ${PROMPT}`) + countTokens(JSON.stringify(tools)));
    assert.equal(response.headers.get('x-switchyard-token-count'), 'upstream');
    assert.equal(response.headers.get('x-switchyard-provider'), 'sim-anthropic');
  });

  test('via-openai: an estimate of about 4 characters per token, labelled estimated', async () => {
    const { data, response } = await client.messages.countTokens({ model: 'via-openai', system: SYSTEM, messages: [{ role: 'user', content: PROMPT }] }).withResponse();
    assert.equal(data.input_tokens, Math.ceil((SYSTEM.length + PROMPT.length) / 4));
    assert.equal(response.headers.get('x-switchyard-token-count'), 'estimated');
  });

  test('via-gemini: tool schemas and images count in the estimate', async () => {
    const messages: Anthropic.MessageParam[] = [
      { role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64 } }, { type: 'text', text: PROMPT }] },
    ];
    const plain = await client.messages.countTokens({ model: 'via-gemini', messages: [{ role: 'user', content: PROMPT }] });
    const withImage = await client.messages.countTokens({ model: 'via-gemini', messages });
    const withTools = await client.messages.countTokens({ model: 'via-gemini', messages: [{ role: 'user', content: PROMPT }], tools });
    assert.equal(withImage.input_tokens, plain.input_tokens + IMAGE_TOKENS);
    assert.ok(withTools.input_tokens > plain.input_tokens + 20, `tools add their schema: ${withTools.input_tokens} vs ${plain.input_tokens}`);
  });

  test('an Anthropic upstream that is overloaded: an estimate instead of a failure', async () => {
    stack.sims.anthropic.faults.set([{ fault: { kind: 'status', status: 529 }, times: 1 }]);
    try {
      const { data, response } = await client.messages.countTokens({ model: 'via-anthropic', messages: [{ role: 'user', content: PROMPT }] }).withResponse();
      assert.equal(data.input_tokens, Math.ceil(PROMPT.length / 4));
      assert.equal(response.headers.get('x-switchyard-token-count'), 'estimated');
    } finally {
      stack.sims.anthropic.faults.set([]);
    }
  });

  test('an Anthropic upstream that rejects the request: the client gets the 400', async () => {
    stack.sims.anthropic.faults.set([{ fault: { kind: 'status', status: 400 }, times: 1 }]);
    try {
      await assert.rejects(client.messages.countTokens({ model: 'via-anthropic', messages: [{ role: 'user', content: PROMPT }] }), (e: unknown) => {
        assert.ok(e instanceof Anthropic.BadRequestError, String(e));
        assert.equal((e.error as { error: { type: string } }).error.type, 'invalid_request_error');
        return true;
      });
    } finally {
      stack.sims.anthropic.faults.set([]);
    }
  });
});

describe('count_tokens: validated like /v1/messages, without max_tokens', () => {
  async function post(body: unknown): Promise<{ status: number; json: { type: string; error: { type: string; message: string } } }> {
    const res = await fetch(`${stack.url}/v1/messages/count_tokens`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-ant-test-FAKE' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as never };
  }

  test('messages missing: 400 naming the field', async () => {
    const r = await post({ model: 'via-openai' });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json, { type: 'error', error: { type: 'invalid_request_error', message: 'messages: Field required' } });
  });

  test('model missing: 400 naming the field', async () => {
    const r = await post({ messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.message, 'model: Field required');
  });

  test('a bad content block: 400 with its path', async () => {
    const r = await post({ model: 'via-openai', messages: [{ role: 'user', content: [{ type: 'text' }] }] });
    assert.equal(r.status, 400);
    assert.equal(r.json.error.message, 'messages[0].content[0].text: Field required');
  });

  test('unknown model: 404 not_found_error', async () => {
    await assert.rejects(client.messages.countTokens({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }), (e: unknown) => {
      assert.ok(e instanceof Anthropic.NotFoundError, String(e));
      assert.match(e.message, /Available models: .*via-anthropic/);
      return true;
    });
  });
});
