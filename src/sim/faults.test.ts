import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.js';
import { FaultSchedule } from './faults.js';

const f503 = { kind: 'status', status: 503 } as const;

test('times: a rule applies to exactly N requests', () => {
  const s = new FaultSchedule([{ fault: f503, times: 2 }]);
  assert.deepEqual([s.pick('m'), s.pick('m'), s.pick('m')], [f503, f503, undefined]);
});

test('model filter and first-match order', () => {
  const cut = { kind: 'cut-after', after: 3 } as const;
  const s = new FaultSchedule([{ fault: cut, model: 'a' }, { fault: f503 }]);
  assert.equal(s.pick('a'), cut);
  assert.equal(s.pick('b'), f503);
});

test('time windows follow the injected clock', () => {
  const clock = new ManualClock();
  const s = new FaultSchedule([{ fault: f503, fromMs: 1000, untilMs: 2000 }], clock);
  assert.equal(s.pick('m'), undefined);
  clock.advance(1000);
  assert.equal(s.pick('m'), f503);
  clock.advance(1000);
  assert.equal(s.pick('m'), undefined);
});

test('fraction is deterministic for a seed and close to the asked share', () => {
  const run = () => {
    const s = new FaultSchedule([{ fault: f503, fraction: 0.3 }], undefined, 42);
    return Array.from({ length: 1000 }, () => (s.pick('m') ? 1 : 0));
  };
  const a = run();
  assert.deepEqual(a, run());
  const hits = a.reduce((x: number, y) => x + y, 0);
  assert.ok(hits > 250 && hits < 350, `hits ${hits}`);
});
