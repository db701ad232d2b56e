import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openaiChat } from './index.js';
import { base64ToFloats, floatsToBase64 } from './embeddings.js';

test('decodeEmbeddingRequest: strings, options, and clear 400s', () => {
  assert.deepEqual(openaiChat.decodeEmbeddingRequest({ model: 'e', input: 'hi', encoding_format: 'base64', dimensions: 8 }), {
    model: 'e',
    input: ['hi'],
    encodingFormat: 'base64',
    dimensions: 8,
  });
  assert.throws(() => openaiChat.decodeEmbeddingRequest({ model: 'e', input: [1, 2, 3] }), { status: 400, param: 'input', message: /token-array inputs are not supported/ });
  assert.throws(() => openaiChat.decodeEmbeddingRequest({ model: 'e', input: [[1, 2]] }), { status: 400, param: 'input' });
  assert.throws(() => openaiChat.decodeEmbeddingRequest({ model: 'e' }), { status: 400, param: 'input' });
  assert.throws(() => openaiChat.decodeEmbeddingRequest({ model: 'e', input: 'x', encoding_format: 'int8' }), { status: 400, param: 'encoding_format' });
  assert.throws(() => openaiChat.decodeEmbeddingRequest({ model: 'e', input: 'x', dimensions: 0 }), { status: 400, param: 'dimensions' });
});

test('encodeEmbeddingResponse packs base64 as little-endian float32', () => {
  const res = { model: 'text-embedding-3-small', embeddings: [[0.5, -1, 0.25]], usage: { inputTokens: 2 } };
  const b64 = openaiChat.encodeEmbeddingResponse(res, { model: 'e', input: ['a'], encodingFormat: 'base64' }) as { data: Array<{ embedding: string }> };
  const buf = Buffer.from(b64.data[0]!.embedding, 'base64');
  assert.deepEqual([buf.readFloatLE(0), buf.readFloatLE(4), buf.readFloatLE(8)], [0.5, -1, 0.25]);
  assert.deepEqual(openaiChat.encodeEmbeddingResponse(res, { model: 'e', input: ['a'] }), {
    object: 'list',
    data: [{ object: 'embedding', index: 0, embedding: [0.5, -1, 0.25] }],
    model: 'text-embedding-3-small',
    usage: { prompt_tokens: 2, total_tokens: 2 },
  });
  assert.deepEqual(base64ToFloats(floatsToBase64([1, 2])), [1, 2]);
});

test('egress: request asks for floats; response decodes floats or base64, ordered by index', () => {
  const req = { model: 'alias', input: ['a', 'b'], dimensions: 4 };
  assert.deepEqual(openaiChat.encodeEmbeddingRequest(req, 'text-embedding-3-small'), { model: 'text-embedding-3-small', input: ['a', 'b'], encoding_format: 'float', dimensions: 4 });
  const out = openaiChat.decodeEmbeddingResponse(
    { object: 'list', model: 'm', data: [{ index: 1, embedding: floatsToBase64([2]) }, { index: 0, embedding: [1] }], usage: { prompt_tokens: 3, total_tokens: 3 } },
    req,
  );
  assert.deepEqual(out, { model: 'm', embeddings: [[1], [2]], usage: { inputTokens: 3 } });
  assert.throws(() => openaiChat.decodeEmbeddingResponse({ data: [] }, req), { code: 'upstream_malformed' });
});
