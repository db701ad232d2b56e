import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plausibleJsonObject } from './skim.js';
import { OpenAIStreamDecoder } from './openai-chat/stream-decoder.js';

test('skimming: whole JSON objects pass; truncated, non-object and error frames are suspect', () => {
  assert.equal(plausibleJsonObject('{"id":"x","choices":[]}'), true);
  assert.equal(plausibleJsonObject('{"id":"x","choices":[{"delta":{"content":"oops"'), false, 'truncated frame');
  assert.equal(plausibleJsonObject('[1,2]'), false);
  assert.equal(plausibleJsonObject(''), false);
  assert.equal(plausibleJsonObject('{"error":{"message":"boom"}}'), false, 'an in-stream error is decoded for real');
  assert.equal(plausibleJsonObject('{ "error" : {}}'), false);
  assert.equal(plausibleJsonObject('{"id":"x","choices":[{"delta":{"content":"an error: none"}}]}'), true);
});

test('the OpenAI decoder skims [DONE] as the proper end', () => {
  const d = new OpenAIStreamDecoder();
  assert.equal(d.skim({ data: '[DONE]', raw: Buffer.alloc(0) }), 'end');
  assert.equal(d.skim({ data: '{"choices":[]}', raw: Buffer.alloc(0) }), 'data');
});
