/** Resilience primitives, driven by a ManualClock: no sleeping. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.js';
import { GatewayError } from '../core/errors.js';
import { fullJitterDelay } from '../core/backoff.js';
import { CircuitBreaker } from './breaker.js';
import { MemoryBreakerStore } from '../storage/memory/memory-breaker-store.js';
import { clientDeadlineMs, Deadline } from './deadline.js';
import { LatencyStats } from './latency-stats.js';
import { AimdLimiter } from './limiter.js';
import { RetryBudget } from './retry-budget.js';

test('full jitter stays within [0, min(cap, base*2^n))', () => {
  assert.equal(fullJitterDelay(3, 100, 2000, () => 0.999999), 799);
  assert.equal(fullJitterDelay(10, 100, 2000, () => 0.5), 1000);
  assert.equal(fullJitterDelay(0, 100, 2000, () => 0), 0);
});

test('retry budget: 10% of first attempts plus the floor, over a sliding window', () => {
  const clock = new ManualClock();
  const b = new RetryBudget(clock, { ratio: 0.1, floorPerSecond: 0, windowMs: 10_000 });
  for (let i = 0; i < 100; i++) b.recordFirstAttempt();
  let granted = 0;
  for (let i = 0; i < 50; i++) if (b.tryWithdraw()) granted++;
  assert.equal(granted, 10);
  clock.advance(11_000); // the window moved on: old first attempts no longer earn budget
  assert.equal(b.tryWithdraw(), false);
  const floor = new RetryBudget(clock, { ratio: 0.1, floorPerSecond: 1, windowMs: 10_000 });
  let f = 0;
  for (let i = 0; i < 50; i++) if (floor.tryWithdraw()) f++;
  assert.equal(f, 10, 'a quiet gateway may still retry floor x window');
});

test('deadline aborts with a typed timeout and reports remaining time', () => {
  const clock = new ManualClock();
  const d = new Deadline(clock, 30_000);
  clock.advance(10_000);
  assert.equal(d.remaining(), 20_000);
  assert.equal(d.signal.aborted, false);
  clock.advance(20_000);
  assert.equal(d.signal.aborted, true);
  assert.ok(d.signal.reason instanceof GatewayError && d.signal.reason.kind === 'timeout');
  const parent = new AbortController();
  const child = new Deadline(clock, 1000, parent.signal);
  parent.abort('client left');
  assert.equal(child.signal.aborted, true);
  child.dispose();
});

test('the client timeout hint (X-Stainless-Timeout, seconds) shortens the deadline, never lengthens it', () => {
  assert.equal(clientDeadlineMs('10', 60_000), 10_000);
  assert.equal(clientDeadlineMs('600', 60_000), 60_000);
  assert.equal(clientDeadlineMs('nonsense', 60_000), 60_000);
  assert.equal(clientDeadlineMs(undefined, 60_000), 60_000);
});

test('breaker: consecutive failures trip it; half-open probes close it; a failed probe re-opens for longer', () => {
  const clock = new ManualClock();
  const b = new CircuitBreaker(clock, { consecutiveFailures: 3, openBaseMs: 1000, jitter: 0, halfOpenProbes: 2 });
  for (let i = 0; i < 3; i++) b.onFailure(false);
  assert.equal(b.state, 'open');
  assert.equal(b.allow(), 'no');
  clock.advance(1000);
  assert.equal(b.allow(), 'probe');
  assert.equal(b.state, 'half_open');
  b.onFailure(true);
  assert.equal(b.state, 'open');
  clock.advance(1000);
  assert.equal(b.allow(), 'no', 'second open lasts longer (2 s)');
  clock.advance(1000);
  assert.equal(b.allow(), 'probe');
  assert.equal(b.allow(), 'probe');
  assert.equal(b.allow(), 'no', 'only the configured number of probes');
  b.onSuccess(true);
  b.onSuccess(true);
  assert.equal(b.state, 'closed');
  assert.equal(b.allow(), 'yes');
});

test('breaker: failure rate over the window with a minimum volume', () => {
  const clock = new ManualClock();
  const b = new CircuitBreaker(clock, { consecutiveFailures: 100, failureRate: 0.5, minVolume: 10 });
  for (let i = 0; i < 4; i++) {
    b.onSuccess(false);
    b.onFailure(false);
  }
  assert.equal(b.state, 'closed', 'below the minimum volume');
  b.onSuccess(false);
  b.onFailure(false);
  assert.equal(b.state, 'open');
});

test('AIMD limiter: a primary grows fast (slow start) until the first drop, failover traffic only additively', () => {
  const clock = new ManualClock();
  const own = new AimdLimiter(clock, { initial: 4, max: 1000 });
  for (let round = 0; round < 4; round++) {
    const n = own.headroom();
    for (let i = 0; i < n; i++) own.tryAcquire();
    for (let i = 0; i < n; i++) own.release('success', true);
  }
  assert.equal(own.limit, 64, 'doubles per full round of successes');
  own.tryAcquire();
  own.release('drop');
  assert.equal(own.limit, 32);
  const n = own.headroom();
  for (let i = 0; i < n; i++) own.tryAcquire();
  for (let i = 0; i < n; i++) own.release('success', true);
  assert.ok(own.limit < 34, 'above the threshold: additive only');
  const spill = new AimdLimiter(clock, { initial: 8 });
  for (let r = 0; r < 2; r++) {
    const k = spill.headroom();
    for (let i = 0; i < k; i++) spill.tryAcquire();
    for (let i = 0; i < k; i++) spill.release('success', false);
  }
  assert.ok(spill.limit > 8.5 && spill.limit < 9.5, `failover traffic grows the limit by about one per two rounds (${spill.limit})`);
});

test('AIMD limiter: an unlearned target carries its own burst, the limit follows it, and the first drop halves it', () => {
  const clock = new ManualClock();
  const l = new AimdLimiter(clock, { initial: 8, max: 1000 });
  for (let i = 0; i < 100; i++) assert.ok(l.tryAcquire(true), `own request ${i} admitted`);
  assert.equal(l.limit, 100, 'the limit follows real concurrency');
  assert.equal(l.tryAcquire(false), false, 'failover traffic still needs headroom');
  l.release('drop');
  assert.equal(l.limit, 50);
  for (let i = 0; i < 99; i++) l.release('ignore');
  assert.equal(l.headroom(), 50);
  for (let i = 0; i < 50; i++) assert.ok(l.tryAcquire(true));
  assert.equal(l.tryAcquire(true), false, 'after a drop the learned limit holds for the target\'s own traffic too');
  const recovered = new AimdLimiter(clock, { initial: 8, max: 1000 });
  recovered.slowStart();
  assert.ok(recovered.tryAcquire(true));
  assert.equal(recovered.tryAcquire(true), false, 'a target back from an outage ramps up from one');
});

test('AIMD limiter: additive growth under load, multiplicative cut on a drop, one cut per cooldown', () => {
  const clock = new ManualClock();
  const l = new AimdLimiter(clock, { initial: 4, min: 1, max: 10, cooldownMs: 1000 });
  assert.equal(l.headroom(), 4);
  for (let i = 0; i < 4; i++) assert.ok(l.tryAcquire());
  assert.equal(l.tryAcquire(), false, 'no capacity beyond the limit');
  for (let i = 0; i < 4; i++) l.release('success');
  assert.ok(l.limit > 4 && l.limit < 5.5);
  l.tryAcquire();
  l.release('drop');
  const cut = l.limit;
  assert.ok(cut < 3);
  l.tryAcquire();
  l.release('drop');
  assert.equal(l.limit, cut, 'a burst of drops cuts once');
  l.slowStart();
  assert.equal(l.headroom(), 1);
});

test('breaker state lives in its store: a breaker opened by one holder is respected by another on the same record', () => {
  const clock = new ManualClock();
  const store = new MemoryBreakerStore();
  const opts = { consecutiveFailures: 2, openBaseMs: 1000, jitter: 0, halfOpenProbes: 1 };
  const a = new CircuitBreaker(clock, opts, () => 0.5, store.record('t'), () => store.changed('t'));
  const b = new CircuitBreaker(clock, opts, () => 0.5, store.record('t'), () => store.changed('t'));
  a.onFailure(false);
  a.onFailure(false);
  assert.equal(b.state, 'open');
  assert.equal(b.allow(), 'no', 'the other holder refuses too');
  clock.advance(1000);
  assert.equal(b.allow(), 'probe');
  b.onSuccess(true);
  assert.equal(a.state, 'closed', 'and its recovery is seen by the first');
});

test('latency stats: EWMA and p95 over recent samples, within a bucket (10%) and never short', () => {
  const s = new LatencyStats(0.5, 1000);
  assert.equal(s.quantile(0.95), undefined);
  for (let i = 1; i <= 100; i++) s.add(i);
  const p95 = s.quantile(0.95)!;
  assert.ok(p95 >= 95 && p95 <= 95 * 1.1, String(p95));
  assert.ok(s.ewma! > 90);
});

test('latency stats: old samples fade, so the quantiles follow what the target does now', () => {
  const s = new LatencyStats(0.2, 200);
  for (let i = 0; i < 1000; i++) s.add(5000);
  assert.ok(s.quantile(0.5)! >= 5000);
  for (let i = 0; i < 1000; i++) s.add(300);
  const p99 = s.quantile(0.99)!;
  assert.ok(p99 >= 300 && p99 <= 330, `a target that became fast is judged by its new speed: ${p99}`);
});
