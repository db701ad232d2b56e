import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../core/errors.js';
import { anthropicMessages } from './index.js';

const req = anthropicMessages.decodeRequest({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });

test('decodeResponse: text + tool_use + usage with cache, stop reason mapped', () => {
  const r = anthropicMessages.decodeResponse({
    id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929',
    content: [
      { type: 'thinking', thinking: 'hmm', signature: 's' },
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
    ],
    stop_reason: 'tool_use', stop_sequence: null,
    usage: { input_tokens: 10, cache_read_input_tokens: 90, cache_creation_input_tokens: 0, output_tokens: 7 },
  });
  assert.equal(r.id, 'msg_01');
  assert.equal(r.model, 'claude-sonnet-4-5-20250929');
  assert.equal(r.text, 'Checking.');
  assert.deepEqual(r.toolCalls, [{ id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' }]);
  assert.equal(r.finishReason, 'tool_calls');
  assert.deepEqual(r.usage, { inputTokens: 100, cachedInputTokens: 90, outputTokens: 7 });
});

test('decodeResponse: stop_sequence and max_tokens', () => {
  const base = { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [{ type: 'text', text: 'a' }], usage: { input_tokens: 1, output_tokens: 1 } };
  const s = anthropicMessages.decodeResponse({ ...base, stop_reason: 'stop_sequence', stop_sequence: 'END' });
  assert.equal(s.finishReason, 'stop_sequence');
  assert.equal(s.stopSequence, 'END');
  assert.equal(anthropicMessages.decodeResponse({ ...base, stop_reason: 'max_tokens', stop_sequence: null }).finishReason, 'length');
  assert.throws(() => anthropicMessages.decodeResponse({ type: 'error' }), (e: unknown) => e instanceof GatewayError && e.status === 502);
});

test('encodeResponse: Anthropic message object with parsed tool input and cache usage', () => {
  const body = anthropicMessages.encodeResponse(
    {
      id: 'chatcmpl-abc123', model: 'gpt-4o-2024-08-06', created: 1, text: 'Sure.',
      toolCalls: [{ id: 'call_1', name: 'f', arguments: '{"a":1}' }, { id: 'call_2', name: 'g', arguments: '{"trunc' }],
      finishReason: 'tool_calls', usage: { inputTokens: 50, cachedInputTokens: 20, outputTokens: 9 },
    },
    req,
  );
  assert.deepEqual(body, {
    id: 'msg_chatcmplabc123', type: 'message', role: 'assistant', model: 'gpt-4o-2024-08-06',
    content: [
      { type: 'text', text: 'Sure.' },
      { type: 'tool_use', id: 'call_1', name: 'f', input: { a: 1 } },
      { type: 'tool_use', id: 'call_2', name: 'g', input: {} },
    ],
    stop_reason: 'tool_use', stop_sequence: null,
    usage: { input_tokens: 30, output_tokens: 9, cache_read_input_tokens: 20 },
  });
});

test('encodeResponse: stop reasons and stop_sequence', () => {
  const res = { id: 'msg_x', model: 'm', created: 1, text: 'a', toolCalls: [], usage: { inputTokens: 1, outputTokens: 1 } };
  const enc = (finishReason: 'stop' | 'length' | 'stop_sequence', stopSequence?: string) =>
    anthropicMessages.encodeResponse({ ...res, finishReason, ...(stopSequence ? { stopSequence } : {}) }, req) as { stop_reason: string; stop_sequence: string | null };
  assert.equal(enc('stop').stop_reason, 'end_turn');
  assert.equal(enc('length').stop_reason, 'max_tokens');
  assert.deepEqual([enc('stop_sequence', 'END').stop_reason, enc('stop_sequence', 'END').stop_sequence], ['stop_sequence', 'END']);
});
