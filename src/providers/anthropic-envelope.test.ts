import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envelopeBody, envelopeText } from './anthropic-envelope.js';

const BEDROCK = { version: 'bedrock-2023-05-31', streamInBody: false };
const VERTEX = { version: 'vertex-2023-10-16', streamInBody: true };

const CLIENT = `{
  "model": "claude-sonnet-4-5",
  "max_tokens": 1024,
  "stream": true,
  "system": [{"type": "text", "text": "A long, cached system prompt. \\u00e9", "cache_control": {"type": "ephemeral"}}],
  "messages": [{"role": "user", "content": [{"type": "text", "text": "Hi \\"there\\", {model}", "cache_control": {"type":"ephemeral","ttl":"1h"}}]}],
  "temperature": 0.50
}`;

test('Bedrock: model and stream leave the body, anthropic_version comes in, every other member byte for byte', () => {
  const out = envelopeText(CLIENT, BEDROCK, true)!;
  const parsed = JSON.parse(out) as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed), ['anthropic_version', 'max_tokens', 'system', 'messages', 'temperature']);
  assert.equal(parsed.anthropic_version, 'bedrock-2023-05-31');
  // The client's own bytes: escapes, spacing and number spelling kept (prompt caching keys on the exact prefix).
  assert.ok(out.includes('"system": [{"type": "text", "text": "A long, cached system prompt. \\u00e9", "cache_control": {"type": "ephemeral"}}]'));
  assert.ok(out.includes('"cache_control": {"type":"ephemeral","ttl":"1h"}'));
  assert.ok(out.includes('"temperature": 0.50'));
});

test('Vertex: stream stays in the body for :streamRawPredict, and only then', () => {
  assert.equal((JSON.parse(envelopeText(CLIENT, VERTEX, true)!) as { stream?: boolean }).stream, true);
  assert.equal((JSON.parse(envelopeText(CLIENT, VERTEX, false)!) as { stream?: boolean }).stream, undefined);
});

test('unusual text falls back to the object: escaped or repeated keys', () => {
  assert.equal(envelopeText('{"mod\\u0065l":"x","messages":[]}', BEDROCK, false), undefined);
  assert.equal(envelopeText('{"model":"a","model":"b","messages":[]}', BEDROCK, false), undefined);
  assert.equal(envelopeText('{}', BEDROCK, false), '{"anthropic_version":"bedrock-2023-05-31"}');
});

test('envelopeBody: the same members from an object', () => {
  const body = { model: 'm', stream: true, anthropic_version: 'old', max_tokens: 5, messages: [] };
  assert.deepEqual(envelopeBody(body, BEDROCK, true), { anthropic_version: 'bedrock-2023-05-31', max_tokens: 5, messages: [] });
  assert.deepEqual(envelopeBody(body, VERTEX, true), { anthropic_version: 'vertex-2023-10-16', max_tokens: 5, messages: [], stream: true });
});
