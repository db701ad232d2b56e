/** Gemini GenerateContentResponse -> canonical (shapes from js-genai's recorded responses). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../core/errors.js';
import { decodeResponse } from './decode-response.js';

test('text answer with usage, id and model from the response', () => {
  const r = decodeResponse({
    candidates: [{ content: { parts: [{ text: 'Hello' }, { text: ' there' }], role: 'model' }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 2, totalTokenCount: 7 },
    modelVersion: 'gemini-2.0-flash',
    responseId: 'abcDEF123',
  });
  assert.equal(r.text, 'Hello there');
  assert.equal(r.id, 'abcDEF123');
  assert.equal(r.model, 'gemini-2.0-flash');
  assert.equal(r.finishReason, 'stop');
  assert.deepEqual(r.usage, { inputTokens: 5, outputTokens: 2 });
  assert.deepEqual(r.toolCalls, []);
});

test('function calls get stable generated ids and finish tool_calls; thought parts are skipped', () => {
  const body = {
    candidates: [
      {
        content: {
          parts: [
            { text: 'thinking...', thought: true },
            { functionCall: { name: 'a', args: { x: 1 } } },
            { functionCall: { name: 'b', args: {} } },
          ],
          role: 'model',
        },
        finishReason: 'STOP',
      },
    ],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 4, thoughtsTokenCount: 6, cachedContentTokenCount: 8 },
    responseId: 'resp12345',
  };
  const r = decodeResponse(body);
  assert.equal(r.text, '');
  assert.equal(r.finishReason, 'tool_calls');
  assert.deepEqual(r.toolCalls, [
    { id: 'call_resp12345_0', name: 'a', arguments: '{"x":1}' },
    { id: 'call_resp12345_1', name: 'b', arguments: '{}' },
  ]);
  assert.deepEqual(decodeResponse(body).toolCalls.map((c) => c.id), ['call_resp12345_0', 'call_resp12345_1']);
  assert.deepEqual(r.usage, { inputTokens: 10, outputTokens: 10, cachedInputTokens: 8 });
  // Without modelVersion the model is left for the provider to fill in.
  assert.equal(r.model, '');
});

test('finish reasons', () => {
  const fr = (finishReason: string) => decodeResponse({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason }] }).finishReason;
  assert.equal(fr('MAX_TOKENS'), 'length');
  for (const f of ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII']) assert.equal(fr(f), 'content_filter');
  assert.equal(fr('MALFORMED_FUNCTION_CALL'), 'other');
  assert.equal(fr('OTHER'), 'other');
});

test('a blocked prompt (no candidates) is an empty content_filter answer', () => {
  const r = decodeResponse({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 3 } });
  assert.equal(r.text, '');
  assert.equal(r.finishReason, 'content_filter');
  assert.deepEqual(r.usage, { inputTokens: 3, outputTokens: 0 });
});

test('an answer with neither a candidate nor a block reason is a failed generation (upstream_malformed, transient), not an empty answer', () => {
  for (const body of [{}, { usageMetadata: { promptTokenCount: 171, totalTokenCount: 171 } }, { candidates: [] }, { candidates: 'x' }, { promptFeedback: { safetyRatings: [] } }]) {
    assert.throws(
      () => decodeResponse(body),
      (e: unknown) => e instanceof GatewayError && e.code === 'upstream_malformed' && e.kind === 'transient' && e.status === 502,
      JSON.stringify(body),
    );
  }
});

test('a candidate without content keeps its finish reason (Gemini omits content on MAX_TOKENS and OTHER)', () => {
  const r = decodeResponse({ candidates: [{ finishReason: 'MAX_TOKENS', index: 0 }], usageMetadata: { promptTokenCount: 4, totalTokenCount: 4 } });
  assert.equal(r.text, '');
  assert.equal(r.finishReason, 'length');
});
