import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../core/errors.js';
import { decodeEmbeddingResponse, encodeEmbeddingRequest } from './embeddings.js';

test('batchEmbedContents body: one request per input, model as a resource name, dimensions', () => {
  const body = encodeEmbeddingRequest({ model: 'alias', input: ['a', 'bb'], dimensions: 256 }, 'text-embedding-004');
  assert.deepEqual(body, {
    requests: [
      { model: 'models/text-embedding-004', content: { parts: [{ text: 'a' }] }, outputDimensionality: 256 },
      { model: 'models/text-embedding-004', content: { parts: [{ text: 'bb' }] }, outputDimensionality: 256 },
    ],
  });
  const prefixed = encodeEmbeddingRequest({ model: 'alias', input: ['a'] }, 'models/gemini-embedding-001');
  assert.deepEqual(prefixed, { requests: [{ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] } }] });
});

test('decode: vectors in order, usage estimated at ~4 chars per token', () => {
  const req = { model: 'alias', input: ['abcdefgh', 'abc'] };
  const r = decodeEmbeddingResponse({ embeddings: [{ values: [0.1, 0.2] }, { values: [0.3, 0.4] }] }, req);
  assert.deepEqual(r, { model: 'alias', embeddings: [[0.1, 0.2], [0.3, 0.4]], usage: { inputTokens: 3 } });
  assert.throws(() => decodeEmbeddingResponse({ embeddings: [{ values: [1] }] }, req), GatewayError);
  assert.throws(() => decodeEmbeddingResponse({}, req), GatewayError);
});
