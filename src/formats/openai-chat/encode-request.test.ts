/** Canonical -> OpenAI body for what a translated request asks of the answer (issue #24). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../core/errors.js';
import type { ChatRequest } from '../../core/request.js';
import { anthropicMessages } from '../anthropic-messages/index.js';
import { openaiChat } from './index.js';

const req = (over: Partial<ChatRequest>): ChatRequest => ({ model: 'alias', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: false, includeUsage: false, ...over });

test("an Anthropic client's output_config reaches OpenAI as response_format json_schema, enforced, with its effort", () => {
  const schema = { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'], additionalProperties: false };
  const canonical = anthropicMessages.decodeRequest({ model: 'm', max_tokens: 100, messages: [{ role: 'user', content: '2+2?' }], output_config: { format: { type: 'json_schema', schema }, effort: 'low' } });
  const body = openaiChat.encodeRequest(canonical, 'gpt-5');
  assert.deepEqual(body.response_format, { type: 'json_schema', json_schema: { name: 'output', schema, strict: true } });
  assert.equal(body.reasoning_effort, 'low');
});

test("a schema outside OpenAI's strict rules goes unenforced rather than refused", () => {
  const optional = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } }, required: ['a'], additionalProperties: false };
  const open = { type: 'object', properties: { a: { type: 'array', items: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } } }, required: ['a'], additionalProperties: false };
  for (const schema of [optional, open]) {
    const body = openaiChat.encodeRequest(req({ responseFormat: { type: 'json_schema', name: 'output', schema, strict: true } }), 'gpt-4o');
    assert.deepEqual(body.response_format, { type: 'json_schema', json_schema: { name: 'output', schema } });
  }
});

test('a continuation of a client asking for logprobs is refused: the rest of the answer could not carry them', () => {
  assert.throws(() => openaiChat.encodeRequest(req({ sameFormatOnly: ['logprobs'] }), 'gpt-4o'), (e: unknown) => e instanceof GatewayError && e.code === 'unsupported_by_target' && e.param === 'logprobs');
});
