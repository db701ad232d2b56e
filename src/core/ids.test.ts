import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomId } from './ids.js';

test('ids have the prefix, the length asked for, and only letters and digits after it', () => {
  for (const [prefix, length] of [['req_', 20], ['chatcmpl-', 24], ['', 1], ['msg_', 256]] as const) {
    const id = randomId(prefix, length);
    assert.ok(id.startsWith(prefix));
    assert.equal(id.length, prefix.length + length);
    assert.match(id.slice(prefix.length), /^[A-Za-z0-9]+$/);
  }
  assert.throws(() => randomId('x', 257), RangeError);
});

test('ids do not repeat, across refills of the random pool', () => {
  const seen = new Set<string>();
  // 4 KiB of random bytes per refill: 2,000 ids of 20 letters refill it ten times.
  for (let i = 0; i < 2000; i++) seen.add(randomId('req_', 20));
  assert.equal(seen.size, 2000);
});
