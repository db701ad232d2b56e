/**
 * The demo's outage schedule on a ManualClock: which faults the simulator has
 * at each moment, that the cycle repeats, that it leaves faults set by hand
 * alone, and that stop() leaves the simulator healthy. No sleeping.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.js';
import { FaultSchedule } from './faults.js';
import { DEMO_OUTAGE_FAULTS, DEMO_OUTAGE_TIMINGS, OutageCycle, outagePhase, validateOutageTimings, type OutagePhase } from './outage-cycle.js';

const T = { firstAtMs: 10_000, outageMs: 90_000, periodMs: 600_000 };

test('outagePhase: calm, outage from its first instant, calm, and the next cycle', () => {
  assert.deepEqual(outagePhase(T, 0), { inOutage: false, cycle: -1, nextChangeInMs: 10_000 });
  assert.deepEqual(outagePhase(T, 9_999), { inOutage: false, cycle: -1, nextChangeInMs: 1 });
  assert.deepEqual(outagePhase(T, 10_000), { inOutage: true, cycle: 0, nextChangeInMs: 90_000 });
  assert.deepEqual(outagePhase(T, 99_999), { inOutage: true, cycle: 0, nextChangeInMs: 1 });
  assert.deepEqual(outagePhase(T, 100_000), { inOutage: false, cycle: 0, nextChangeInMs: 510_000 });
  assert.deepEqual(outagePhase(T, 610_000), { inOutage: true, cycle: 1, nextChangeInMs: 90_000 });
  assert.deepEqual(outagePhase(T, 10_000 + 5 * 600_000 + 89_000), { inOutage: true, cycle: 5, nextChangeInMs: 1_000 });
});

test('demo timings: the first outage starts early enough for an incident within the first minute', () => {
  validateOutageTimings(DEMO_OUTAGE_TIMINGS);
  // The health policy needs ~30 s (raise hold) after the errors start; the outage must start well before 0:30.
  assert.ok(DEMO_OUTAGE_TIMINGS.firstAtMs <= 15_000);
  // Component back ~3 min after the outage, resolved 5 min later: the next outage must not come before that.
  assert.ok(DEMO_OUTAGE_TIMINGS.periodMs - DEMO_OUTAGE_TIMINGS.outageMs >= 9 * 60_000);
});

test('validateOutageTimings rejects an outage as long as its period', () => {
  assert.throws(() => validateOutageTimings({ firstAtMs: 0, outageMs: 60_000, periodMs: 60_000 }), RangeError);
  assert.throws(() => validateOutageTimings({ firstAtMs: -1, outageMs: 1, periodMs: 2 }), RangeError);
  assert.throws(() => new OutageCycle(new FaultSchedule(), { clock: new ManualClock(), timings: { firstAtMs: 0, outageMs: 0, periodMs: 5 } }), RangeError);
});

test('OutageCycle sets the faults on the simulator during each outage and clears them after', () => {
  const clock = new ManualClock();
  const faults = new FaultSchedule([], clock);
  const changes: OutagePhase[] = [];
  const cycle = new OutageCycle(faults, { clock, timings: T, onChange: (p) => changes.push(p) });
  cycle.start();
  assert.deepEqual(faults.list(), []);
  clock.advance(9_999);
  assert.deepEqual(faults.list(), [], 'calm before firstAtMs');
  clock.advance(1);
  assert.equal(cycle.inOutage, true);
  assert.deepEqual(faults.list(), DEMO_OUTAGE_FAULTS, 'the outage faults, in order');
  clock.advance(89_999);
  assert.equal(faults.list().length, 3);
  clock.advance(1);
  assert.equal(cycle.inOutage, false);
  assert.deepEqual(faults.list(), []);
  clock.advance(510_000);
  assert.equal(cycle.inOutage, true, 'the second outage, one period after the first');
  assert.equal(faults.list().length, 3);
  clock.advance(90_000);
  assert.deepEqual(faults.list(), []);
  assert.deepEqual(
    changes.map((c) => [c.inOutage, c.cycle]),
    [
      [true, 0],
      [false, 0],
      [true, 1],
      [false, 1],
    ],
  );
  cycle.stop();
  assert.equal(clock.pendingTimers(), 0, 'stop() leaves no timer behind');
});

test('during an outage most requests fail, and the rest get through', () => {
  const clock = new ManualClock();
  const faults = new FaultSchedule([], clock, 7);
  const cycle = new OutageCycle(faults, { clock, timings: T });
  cycle.start();
  clock.advance(10_000);
  const picks = Array.from({ length: 1_000 }, () => faults.pick('gpt-4o-mini')?.kind ?? 'ok');
  const count = (k: string) => picks.filter((p) => p === k).length;
  // 0.15 cut, 0.85 x 0.1 stall, 0.765 x 0.8 = 0.61 503, 0.15 untouched.
  assert.ok(count('status') > 520 && count('status') < 700, `503s: ${count('status')}`);
  assert.ok(count('cut-after') > 100 && count('cut-after') < 200);
  assert.ok(count('stall-before-first-byte') > 50 && count('stall-before-first-byte') < 130);
  assert.ok(count('ok') > 100 && count('ok') < 210);
  cycle.stop();
});

test('faults set by hand are neither overwritten by an outage nor cleared by its end', () => {
  const clock = new ManualClock();
  const faults = new FaultSchedule([], clock);
  const cycle = new OutageCycle(faults, { clock, timings: T });
  cycle.start();
  const mine = [{ fault: { kind: 'status' as const, status: 500 } }];
  faults.set(mine);
  clock.advance(10_000);
  assert.deepEqual(faults.list(), mine);
  clock.advance(90_000);
  assert.deepEqual(faults.list(), mine);
  // A hand-made change during an outage also survives its end.
  clock.advance(510_000);
  faults.set([]);
  clock.advance(1_000);
  assert.deepEqual(faults.list(), []);
  faults.set(mine);
  clock.advance(89_000);
  assert.deepEqual(faults.list(), mine);
  cycle.stop();
});

test('stop() during an outage lifts it and no later outage comes', () => {
  const clock = new ManualClock();
  const faults = new FaultSchedule([], clock);
  const cycle = new OutageCycle(faults, { clock, timings: T });
  cycle.start();
  clock.advance(20_000);
  assert.equal(faults.list().length, 3);
  cycle.stop();
  assert.deepEqual(faults.list(), []);
  assert.equal(cycle.inOutage, false);
  clock.advance(2 * 600_000);
  assert.deepEqual(faults.list(), []);
  assert.equal(clock.pendingTimers(), 0);
});
