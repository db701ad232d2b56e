import { test } from 'node:test';
import assert from 'node:assert/strict';
import { didYouMean } from './did-you-mean.js';

test('suggests the closest candidate for a typo', () => {
  assert.equal(didYouMean('claud', ['openai-main', 'claude']), 'claude');
  assert.equal(didYouMean('bse_url', ['name', 'type', 'base_url']), 'base_url');
  assert.equal(didYouMean('OpenAI', ['openai', 'gemini']), 'openai');
});

test('suggests nothing when nothing is close', () => {
  assert.equal(didYouMean('zzzzzz', ['openai', 'gemini']), undefined);
  assert.equal(didYouMean('x', []), undefined);
});
