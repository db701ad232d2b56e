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

test('response_format json is refused: the Anthropic target cannot enforce it', () => {
  for (const responseFormat of [{ type: 'json_object' as const }, { type: 'json_schema' as const, name: 'x', schema: {} }]) {
    assert.throws(
      () => anthropicMessages.encodeRequest(req({ responseFormat }), 'm'),
      (e: unknown) => e instanceof GatewayError && e.status === 400 && e.param === 'response_format' && /Anthropic target/.test(e.message),
    );
  }
  assert.doesNotThrow(() => anthropicMessages.encodeRequest(req({ responseFormat: { type: 'text' } }), 'm'));
});
