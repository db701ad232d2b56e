import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.js';
import { attemptTimers } from './attempt-timers.js';
import { DEFAULT_POLICY, policyWith } from './policy.js';
import { TargetState } from './target-state.js';

const target = (teach: (s: TargetState) => void = () => {}) => {
  const s = new TargetState(new ManualClock(), DEFAULT_POLICY, Math.random);
  teach(s);
  return s;
};
const times = (n: number, ms: number) => (stats: { add(ms: number): void }) => {
  for (let i = 0; i < n; i++) stats.add(ms);
};

test('a target that normally answers in 300 ms gets its share of a 10 s deadline, so the next one can still answer', () => {
  const fast = target((s) => {
    times(50, 300)(s.ttft);
    times(50, 300)(s.answer);
  });
  const t = attemptTimers(DEFAULT_POLICY, fast, 10_000, 3);
  assert.equal(t.ttftMs, 3_333);
  assert.equal(t.answerMs, 3_333);
});

test('a reasoning model whose first token normally takes 20 s is never cut before 20 s on a 60 s deadline, however many targets follow', () => {
  const slow = target((s) => times(50, 20_000)(s.ttft));
  for (const viable of [2, 3, 5]) {
    const t = attemptTimers(DEFAULT_POLICY, slow, 60_000, viable);
    assert.ok(t.ttftMs >= 20_000 * 1.5, `${viable} targets: ${t.ttftMs} ms`);
  }
  // Within the configured bound, which wins over everything.
  assert.equal(attemptTimers(policyWith({ ttftTimeoutMs: 45_000 }), slow, 600_000, 3).ttftMs, 45_000);
});

test('without anything learned: the share, never below the floor; the last target gets the whole deadline', () => {
  const cold = target();
  assert.equal(attemptTimers(DEFAULT_POLICY, cold, 10_000, 3).ttftMs, 3_333);
  assert.equal(attemptTimers(DEFAULT_POLICY, cold, 2_000, 3).ttftMs, 1_000, 'the floor');
  assert.equal(attemptTimers(DEFAULT_POLICY, cold, 10_000, 1).ttftMs, 10_000);
  assert.equal(attemptTimers(DEFAULT_POLICY, cold, 600_000, 3).ttftMs, 60_000, 'the bound');
  assert.equal(attemptTimers(DEFAULT_POLICY, cold, 600_000, 3).answerMs, 200_000);
});

test('the idle timer follows the stream’s rhythm once 200 gaps are known, above its floor, and not for the last target', () => {
  const steady = target((s) => times(300, 15)(s.gaps));
  assert.equal(attemptTimers(DEFAULT_POLICY, steady, 600_000, 3).idleMs, 3_000, 'the floor: a 15 ms rhythm is not judged at 60 ms');
  assert.equal(attemptTimers(DEFAULT_POLICY, steady, 600_000, 1).idleMs, 30_000, 'nothing else would continue the answer');
  const pausing = target((s) => {
    times(280, 15)(s.gaps);
    times(20, 2_500)(s.gaps);
  });
  const idle = attemptTimers(DEFAULT_POLICY, pausing, 600_000, 3).idleMs;
  assert.ok(idle >= 4 * 2_500 && idle <= 4 * 2_500 * 1.1, `a stream that pauses 2.5 s now and then is given 4x that: ${idle}`);
  assert.equal(attemptTimers(DEFAULT_POLICY, target((s) => times(100, 15)(s.gaps)), 600_000, 3).idleMs, 30_000, 'too few gaps yet: the share, within the bound');
});

test('adaptive timeouts off: the configured timers, as they are', () => {
  const t = attemptTimers(policyWith({ adaptiveTimeouts: false }), target(), 10_000, 3);
  assert.deepEqual([t.ttftMs, t.answerMs, t.idleMs], [60_000, 300_000, 30_000]);
});
