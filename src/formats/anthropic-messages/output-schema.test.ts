import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toAnthropicSchema } from './output-schema.js';

test('zod-style schemas: $schema dropped, nullable types split, unsupported constraints described, objects closed', () => {
  const out = toAnthropicSchema({
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: {
      note: { type: ['string', 'null'], maxLength: 20 },
      n: { type: 'integer', minimum: 0 },
      when: { type: 'string', format: 'date-time' },
      tags: { type: 'array', items: { type: 'string' }, minItems: 3 },
    },
    required: ['note', 'n', 'when', 'tags'],
  });
  assert.deepEqual(out, {
    type: 'object',
    properties: {
      note: { anyOf: [{ type: 'string', description: '{maxLength: 20}' }, { type: 'null' }] },
      n: { type: 'integer', description: '{minimum: 0}' },
      when: { type: 'string', format: 'date-time' },
      tags: { type: 'array', items: { type: 'string' }, description: '{minItems: 3}' },
    },
    additionalProperties: false,
    required: ['note', 'n', 'when', 'tags'],
  });
});

test('draft-07 definitions become $defs, and references follow; oneOf is anyOf', () => {
  const out = toAnthropicSchema({
    type: 'object',
    properties: { item: { $ref: '#/definitions/Item' }, kind: { oneOf: [{ const: 'a' }, { const: 'b' }] } },
    required: ['item', 'kind'],
    definitions: { Item: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
  });
  assert.deepEqual(out, {
    $defs: { Item: { type: 'object', properties: { id: { type: 'string' } }, additionalProperties: false, required: ['id'] } },
    type: 'object',
    properties: { item: { $ref: '#/$defs/Item' }, kind: { anyOf: [{ const: 'a' }, { const: 'b' }] } },
    additionalProperties: false,
    required: ['item', 'kind'],
  });
});
