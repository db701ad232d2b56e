/** The gateway bounds its heap growth unless the user chose a growth factor for node themselves. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEAP_GROWING_PERCENT, heapGrowingFlag } from './heap-tuning.js';

test('by default the gateway sets its heap growing factor', () => {
  assert.equal(heapGrowingFlag([], undefined), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  assert.equal(heapGrowingFlag(['--enable-source-maps'], '--max-old-space-size=512'), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
});

test("a factor given on node's command line or in NODE_OPTIONS (either spelling) is left alone", () => {
  assert.equal(heapGrowingFlag(['--heap-growing-percent=80'], undefined), undefined);
  assert.equal(heapGrowingFlag([], '--enable-source-maps --heap_growing_percent=20'), undefined);
  assert.equal(heapGrowingFlag([], '--heap-growing-percent 30'), undefined);
});
