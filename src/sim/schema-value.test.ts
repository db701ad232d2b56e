import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { valueForSchema } from './schema-value.js';

test('a zod schema (via z.toJSONSchema) gets a value zod accepts', () => {
  const Order = z.object({
    id: z.string().uuid(),
    when: z.string().datetime(),
    email: z.string().email(),
    kind: z.enum(['pickup', 'delivery']),
    items: z.array(z.object({ name: z.string().min(12), qty: z.number().int().min(1).max(9) })).min(2),
    note: z.string().nullable(),
    paid: z.boolean(),
    tip: z.number().gt(50),
  });
  const value = valueForSchema(z.toJSONSchema(Order) as Record<string, unknown>);
  assert.deepEqual(Order.parse(value), value);
});

test("Gemini's OpenAPI subset: upper-case types, nullable, enum format", () => {
  const value = valueForSchema({
    type: 'OBJECT',
    properties: { level: { type: 'STRING', format: 'enum', enum: ['low', 'high'] }, n: { type: 'INTEGER', nullable: true }, list: { type: 'ARRAY', items: { type: 'NUMBER' } } },
    required: ['level', 'n', 'list'],
  });
  assert.deepEqual(value, { level: 'low', n: 42, list: [42] });
});

test('references into $defs and definitions are followed; recursion ends', () => {
  const tree = { $defs: { Node: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } }, required: ['name', 'children'] } }, $ref: '#/$defs/Node' };
  const v = valueForSchema(tree) as { name: string; children: unknown[] };
  assert.equal(v.name, 'sim-name');
  assert.ok(Array.isArray(v.children));
  assert.deepEqual(valueForSchema({ definitions: { A: { const: 7 } }, type: 'object', properties: { a: { $ref: '#/definitions/A' } } }), { a: 7 });
});
