import assert from 'node:assert/strict';
import { it } from 'node:test';
import { IpLimiter } from './ip-limiter.js';

const T0 = 1_700_000_000_000;

it('lets a burst through, then the steady rate, with the exact wait', () => {
  const l = new IpLimiter({ requestsPerMinute: 60, burst: 10, maxTracked: 100, exemptLoopback: true });
  let admitted = 0;
  for (let i = 0; i < 50; i++) if (l.take('203.0.113.7', T0) === 0) admitted++;
  assert.equal(admitted, 10);
  const wait = l.take('203.0.113.7', T0);
  assert.equal(wait, 1000);
  assert.ok(l.take('203.0.113.7', T0 + wait - 1) > 0);
  assert.equal(l.take('203.0.113.7', T0 + wait), 0);
  // Another address is not affected.
  assert.equal(l.take('198.51.100.1', T0), 0);
});

it('remembers at most maxTracked addresses, forgetting the least recently admitted', () => {
  const l = new IpLimiter({ requestsPerMinute: 60, burst: 1, maxTracked: 3, exemptLoopback: true });
  for (const a of ['a', 'b', 'c']) assert.equal(l.take(a, T0), 0);
  assert.ok(l.take('a', T0) > 0);
  assert.equal(l.take('d', T0), 0);
  assert.equal(l.size, 3);
  // 'a' was the oldest entry: forgotten, so it starts afresh; 'b' and 'c' are still held.
  assert.equal(l.take('a', T0), 0);
  assert.ok(l.take('c', T0) > 0);
});
