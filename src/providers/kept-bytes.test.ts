import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeptBytes } from './kept-bytes.js';

test('kept bytes come back in order, as copies that no longer share the reads they came from', () => {
  const kept = new KeptBytes();
  assert.equal(kept.take().length, 0);
  const reads = ['data: a\n\n', '', 'data: bb\n\n', 'data: ccc\n\n'.repeat(50)].map((s) => Buffer.from(s));
  for (const r of reads) kept.add(r);
  assert.equal(kept.length, Buffer.concat(reads).length);
  const out = kept.take();
  assert.equal(out.toString(), Buffer.concat(reads).toString());
  for (const r of reads) if (r.length > 0) assert.notEqual(out.buffer, r.buffer);
  reads[0]!.fill(0);
  assert.ok(out.toString().startsWith('data: a'));
  assert.equal(kept.length, 0);
  kept.add(Buffer.from('x'));
  assert.equal(kept.take().toString(), 'x');
});
