import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../core/errors.js';
import type { ChatRequest } from '../../core/request.js';
import { anthropicMessages } from './index.js';

const user = (text: string) => ({ role: 'user' as const, content: [{ type: 'text' as const, text }] });
const req = (over: Partial<ChatRequest>): ChatRequest => ({ model: 'alias', messages: [user('Hi')], stream: false, includeUsage: false, ...over });

test('defaults max_tokens, hoists system messages, uses the target model', () => {
  const body = anthropicMessages.encodeRequest(
    req({ messages: [{ role: 'system', content: [{ type: 'text', text: 'Be brief.' }] }, user('Hi'), { role: 'system', content: [{ type: 'text', text: 'Use French.' }] }] }),
    'claude-haiku-4-5',
  );
  assert.deepEqual(body, {
    model: 'claude-haiku-4-5',
    max_tokens: 4096,
    system: 'Be brief.\n\nUse French.',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
  });
});

test('consecutive same-role turns merge; tool results become user tool_result blocks placed first', () => {
  const body = anthropicMessages.encodeRequest(
    req({
      messages: [
        user('Weather?'),
        user('In Paris.'),
        { role: 'assistant', content: [], toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }, { id: 'call_2', name: 'noop', arguments: '' }] },
        { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: '18C' }] },
        { role: 'tool', toolCallId: 'call_2', content: [{ type: 'text', text: 'failed' }], isError: true },
        user('Thanks'),
      ],
    }),
    'm',
  );
  assert.deepEqual(body.messages, [
    { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'text', text: 'In Paris.' }] },
    { role: 'assistant', content: [
      { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'call_2', name: 'noop', input: {} },
    ] },
    { role: 'user', content: [
      { type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'text', text: '18C' }] },
      { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: 'failed' }], is_error: true },
      { type: 'text', text: 'Thanks' },
    ] },
  ]);
});

test('invalid tool-call JSON is a 400 naming the message', () => {
  assert.throws(
    () => anthropicMessages.encodeRequest(req({ messages: [user('x'), { role: 'assistant', content: [], toolCalls: [{ id: 'c', name: 'f', arguments: '{oops' }] }] }), 'm'),
    (e: unknown) => e instanceof GatewayError && e.status === 400 && e.param === 'messages[1].tool_calls[0].function.arguments',
  );
});

test('images: base64, data: URLs as base64, and plain URLs', () => {
  const body = anthropicMessages.encodeRequest(
    req({ messages: [{ role: 'user', content: [
      { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: 'AAA' } },
      { type: 'image', source: { kind: 'url', url: 'data:image/png;base64,iVBOR' } },
      { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.png' } },
    ] }] }),
    'm',
  );
  assert.deepEqual((body.messages as { content: unknown[] }[])[0]!.content, [
    { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'AAA' } },
    { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
    { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
  ]);
});

test('tools and tool_choice map to Anthropic (required->any, name->tool, none->none)', () => {
  const tools = [{ name: 'f', description: 'does f', parameters: { type: 'object', properties: { a: { type: 'string' } } } }, { name: 'g', parameters: {} }];
  const b = anthropicMessages.encodeRequest(req({ tools, toolChoice: 'required', parallelToolCalls: false }), 'm');
  assert.deepEqual(b.tools, [
    { name: 'f', description: 'does f', input_schema: { type: 'object', properties: { a: { type: 'string' } } } },
    { name: 'g', input_schema: { type: 'object', properties: {} } },
  ]);
  assert.deepEqual(b.tool_choice, { type: 'any', disable_parallel_tool_use: true });
  assert.deepEqual(anthropicMessages.encodeRequest(req({ tools, toolChoice: { name: 'g' } }), 'm').tool_choice, { type: 'tool', name: 'g' });
  assert.deepEqual(anthropicMessages.encodeRequest(req({ tools, toolChoice: 'none' }), 'm').tool_choice, { type: 'none' });
  assert.deepEqual(anthropicMessages.encodeRequest(req({ tools, parallelToolCalls: false }), 'm').tool_choice, { type: 'auto', disable_parallel_tool_use: true });
  assert.equal(anthropicMessages.encodeRequest(req({ toolChoice: 'required' }), 'm').tool_choice, undefined);
});

test('stop, sampling, stream, user', () => {
  const b = anthropicMessages.encodeRequest(req({ stop: ['END'], temperature: 1.7, topP: 0.5, maxTokens: 50, stream: true, user: 'u1', seed: 3 }), 'm');
  assert.deepEqual(b.stop_sequences, ['END']);
  assert.equal(b.temperature, 1, 'OpenAI-range temperature is clamped to Anthropic\'s 0..1');
  assert.equal(b.top_p, 0.5);
  assert.equal(b.max_tokens, 50);
  assert.equal(b.stream, true);
  assert.deepEqual(b.metadata, { user_id: 'u1' });
  assert.equal('seed' in b, false);
});

const refused = (param: string, message: RegExp) => (e: unknown): boolean => {
  assert.ok(e instanceof GatewayError, String(e));
  assert.equal(e.code, 'unsupported_by_target');
  assert.equal(e.status, 400);
  assert.equal(e.param, param);
  assert.match(e.message, message);
  return true;
};

test('json_schema becomes output_config.format on models with structured outputs; json_object is refused', () => {
  const schema = { type: 'object', properties: { city: { type: 'string', minLength: 2 } }, required: ['city'], additionalProperties: false };
  const body = anthropicMessages.encodeRequest(req({ responseFormat: { type: 'json_schema', name: 'place', schema, strict: true } }), 'claude-sonnet-4-5');
  assert.deepEqual(body.output_config, {
    format: {
      type: 'json_schema',
      // Constraints Anthropic's schemas don't take stay as words in the description, as the SDK writes them.
      schema: { type: 'object', properties: { city: { type: 'string', description: '{minLength: 2}' } }, additionalProperties: false, required: ['city'] },
    },
  });
  assert.throws(() => anthropicMessages.encodeRequest(req({ responseFormat: { type: 'json_object' } }), 'claude-sonnet-4-5'), refused('response_format', /'json_object' can't be enforced by the Anthropic target/));
  // The Responses API's field is named as the client wrote it.
  assert.throws(
    () => anthropicMessages.encodeRequest(req({ responseFormat: { type: 'json_object' }, paths: { responseFormat: 'text.format' } }), 'claude-sonnet-4-5'),
    refused('text.format', /^text\.format: /),
  );
  assert.equal('output_config' in anthropicMessages.encodeRequest(req({ responseFormat: { type: 'text' } }), 'm'), false);
});

test('models without structured outputs are refused, whatever cloud spells their id', () => {
  const rf = { responseFormat: { type: 'json_schema' as const, name: 'x', schema: { type: 'object' } } };
  for (const model of ['claude-3-5-haiku-latest', 'anthropic.claude-3-7-sonnet-20250219-v1:0', 'claude-sonnet-4-20250514', 'claude-opus-4@20250514', 'claude-opus-4-1']) {
    assert.throws(() => anthropicMessages.encodeRequest(req(rf), model), refused('response_format', /has no structured outputs/), model);
  }
  for (const model of ['claude-sonnet-4-5', 'claude-haiku-4-5-20251001', 'us.anthropic.claude-opus-4-5-20251101-v1:0', 'claude-sonnet-4-5@20250929', 'claude-opus-4-6', 'arn:aws:bedrock:us-east-1:1:application-inference-profile/abc']) {
    assert.ok(anthropicMessages.encodeRequest(req(rf), model).output_config, model);
  }
});

test('a reasoning effort becomes extended thinking with a budget inside max_tokens; sampling is left to the model', () => {
  const body = anthropicMessages.encodeRequest(req({ reasoningEffort: 'medium', temperature: 0.3, topP: 0.5 }), 'claude-sonnet-4-5');
  assert.deepEqual(body.thinking, { type: 'enabled', budget_tokens: 8192 });
  assert.equal(body.max_tokens, 8192 + 4096, 'without a cap, the answer keeps its usual room beside the thinking');
  assert.equal('temperature' in body, false);
  assert.equal('top_p' in body, false);
  const capped = anthropicMessages.encodeRequest(req({ reasoningEffort: 'high', maxTokens: 3000 }), 'claude-3-7-sonnet-latest');
  assert.deepEqual(capped.thinking, { type: 'enabled', budget_tokens: 2999 });
  assert.equal(capped.max_tokens, 3000);
  const none = anthropicMessages.encodeRequest(req({ reasoningEffort: 'none', temperature: 0.3 }), 'claude-3-5-haiku-latest');
  assert.equal('thinking' in none, false);
  assert.equal(none.temperature, 0.3);
});

test('thinking that cannot be honoured makes the target ineligible, naming the client field', () => {
  assert.throws(() => anthropicMessages.encodeRequest(req({ reasoningEffort: 'low' }), 'claude-3-5-haiku-latest'), refused('reasoning_effort', /no extended thinking/));
  assert.throws(() => anthropicMessages.encodeRequest(req({ reasoningEffort: 'low', maxTokens: 1024 }), 'claude-sonnet-4-5'), refused('reasoning_effort', /at least 1024 tokens below max_tokens/));
  const tools = [{ name: 'f', parameters: { type: 'object' } }];
  for (const toolChoice of ['required' as const, { name: 'f' }]) {
    assert.throws(() => anthropicMessages.encodeRequest(req({ reasoningEffort: 'low', tools, toolChoice }), 'claude-sonnet-4-5'), refused('reasoning_effort', /forced tool_choice/));
  }
  assert.throws(
    () => anthropicMessages.encodeRequest(req({ reasoningEffort: 'low', paths: { reasoningEffort: 'reasoning.effort' } }), 'claude-3-haiku-20240307'),
    refused('reasoning.effort', /^reasoning\.effort: /),
  );
});

test('inside an assistant turn (a tool loop, a prefilled continuation) no thinking is asked for', () => {
  const loop = req({
    reasoningEffort: 'high',
    messages: [user('Weather?'), { role: 'assistant', content: [], toolCalls: [{ id: 'c1', name: 'w', arguments: '{}' }] }, { role: 'tool', toolCallId: 'c1', content: [{ type: 'text', text: '18C' }] }],
  });
  assert.equal('thinking' in anthropicMessages.encodeRequest(loop, 'claude-sonnet-4-5'), false);
  const prefill = req({ reasoningEffort: 'high', messages: [user('Tell me'), { role: 'assistant', content: [{ type: 'text', text: 'Once upon' }] }] });
  assert.equal('thinking' in anthropicMessages.encodeRequest(prefill, 'claude-sonnet-4-5'), false);
  const next = req({ reasoningEffort: 'high', messages: [...loop.messages, user('And tomorrow?')] });
  assert.ok(anthropicMessages.encodeRequest(next, 'claude-sonnet-4-5').thinking);
});

test('output only the client format carries back (logprobs, audio) makes the target ineligible', () => {
  assert.throws(() => anthropicMessages.encodeRequest(req({ sameFormatOnly: ['logprobs'] }), 'claude-sonnet-4-5'), refused('logprobs', /Anthropic can't carry it back/));
});
