import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatRequest } from './request.js';
import { estimateInputTokens, IMAGE_TOKENS } from './token-estimate.js';

const base = (messages: ChatRequest['messages'], extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'm', messages, stream: false, includeUsage: false, ...extra });

test('text of every role counts at 4 characters per token, rounded up', () => {
  const req = base([
    { role: 'system', content: [{ type: 'text', text: 'abcd' }] },
    { role: 'user', content: [{ type: 'text', text: 'abcde' }] },
  ]);
  assert.equal(estimateInputTokens(req), 3); // 9 chars
});

test('tool calls, tool results and tool schemas count; each image is a flat estimate', () => {
  const req = base(
    [
      { role: 'user', content: [{ type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } }] },
      { role: 'assistant', content: [], toolCalls: [{ id: 'c1', name: 'abcd', arguments: '{"a":1}' }] }, // 4 + 7
      { role: 'tool', toolCallId: 'c1', content: [{ type: 'text', text: 'x'.repeat(9) }] }, // 9
    ],
    { tools: [{ name: 'ab', description: 'cd', parameters: {} }] }, // 2 + 2 + 2 ('{}')
  );
  assert.equal(estimateInputTokens(req), Math.ceil(26 / 4) + IMAGE_TOKENS);
});

test('an empty prompt is zero', () => {
  assert.equal(estimateInputTokens(base([{ role: 'user', content: [] }])), 0);
});
