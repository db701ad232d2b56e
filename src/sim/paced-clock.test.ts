/**
 * The drills' clock: scenario time runs `speed` times faster than the wall while the process
 * waits, stands still while it works or before start(), and fires timers in due order.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PacedClock } from './paced-clock.js';

test('stopped, time stands still and timers wait', async () => {
  const c = new PacedClock(100, 1_000);
  let fired = false;
  c.setTimeout(() => (fired = true), 0);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(c.now(), 1_000);
  assert.equal(fired, false);
  c.start();
  await new Promise((r) => setTimeout(r, 20));
  c.stop();
  assert.equal(fired, true);
});

test('waiting counts at `speed`, work does not', async () => {
  const c = new PacedClock(1000, 0);
  c.start();
  await new Promise((r) => setTimeout(r, 50));
  const waited = c.now();
  assert.ok(waited >= 20_000 && waited <= 80_000, `50 ms of waiting at 1000x: ${waited} ms`);
  const before = c.now();
  const until = performance.now() + 60;
  while (performance.now() < until); // 60 ms of work
  assert.ok(c.now() - before < 5_000, `60 ms of work counted ${c.now() - before} ms`);
  assert.ok(c.busyMs >= 50);
  c.stop();
});

test('timers fire in due order, the ones set by a firing timer too when due', async () => {
  const c = new PacedClock(1000, 0);
  const order: string[] = [];
  c.setTimeout(() => order.push('b'), 2_000);
  c.setTimeout(() => {
    order.push('a');
    c.setTimeout(() => order.push('a+0'), 0);
  }, 1_000);
  const cancelled = c.setTimeout(() => order.push('never'), 1_500);
  c.clearTimeout(cancelled);
  c.start();
  await new Promise<void>((r) => c.setTimeout(() => r(), 3_000));
  c.stop();
  assert.deepEqual(order, ['a', 'a+0', 'b']);
});
