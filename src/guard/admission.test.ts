import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AdmissionControl } from './admission.js';
import { FixedLoadSampler } from './load-sampler.js';
import { DEFAULT_OVERLOAD, DEFAULT_PRIORITIES } from './settings.js';

const INTERACTIVE = 0;
const BATCH = 1;

it('batch is shed before interactive as requests in flight grow, and gets back in as they end', () => {
  const c = new AdmissionControl({ ...DEFAULT_OVERLOAD, maxInFlight: 100 }, DEFAULT_PRIORITIES, new FixedLoadSampler());
  let batch = 0;
  while (c.tryEnter(BATCH)) batch++;
  // 25% of the capacity is reserved for interactive traffic.
  assert.equal(batch, 75);
  let interactive = 0;
  while (c.tryEnter(INTERACTIVE)) interactive++;
  assert.equal(interactive, 25);
  assert.deepEqual(c.snapshot().byClass, { interactive: 25, batch: 75 });
  c.leave(INTERACTIVE);
  assert.equal(c.tryEnter(BATCH), false);
  assert.equal(c.tryEnter(INTERACTIVE), true);
  for (let i = 0; i < 26; i++) c.leave(BATCH);
  assert.equal(c.tryEnter(BATCH), true);
});

it('event-loop delay and heap use shed batch at 75% of their line and everyone at the line', () => {
  const s = new FixedLoadSampler();
  const c = new AdmissionControl({ ...DEFAULT_OVERLOAD, maxEventLoopDelayMs: 200, maxHeapRatio: 0.8 }, DEFAULT_PRIORITIES, s);
  s.delayMs = 149;
  assert.deepEqual([c.tryEnter(INTERACTIVE), c.tryEnter(BATCH)], [true, true]);
  s.delayMs = 151;
  assert.deepEqual([c.tryEnter(INTERACTIVE), c.tryEnter(BATCH)], [true, false]);
  s.delayMs = 201;
  assert.deepEqual([c.tryEnter(INTERACTIVE), c.tryEnter(BATCH)], [false, false]);
  s.delayMs = 0;
  s.heapRatio = 0.7;
  assert.deepEqual([c.tryEnter(INTERACTIVE), c.tryEnter(BATCH)], [true, false]);
  s.heapRatio = 0.81;
  assert.equal(c.tryEnter(INTERACTIVE), false);
});

it('three classes: each is shed once load passes 1 minus the shares reserved above it', () => {
  const classes = [{ name: 'interactive', reservedShare: 0.2 }, { name: 'batch', reservedShare: 0.3 }, { name: 'background', reservedShare: 0 }];
  const s = new FixedLoadSampler();
  const c = new AdmissionControl({ ...DEFAULT_OVERLOAD, maxInFlight: 0, maxHeapRatio: 0, maxEventLoopDelayMs: 100 }, classes, s);
  s.delayMs = 55;
  assert.deepEqual([0, 1, 2].map((i) => c.tryEnter(i)), [true, true, false]);
  s.delayMs = 85;
  assert.deepEqual([0, 1, 2].map((i) => c.tryEnter(i)), [true, false, false]);
  assert.equal(c.classIndex('background'), 2);
  assert.equal(c.classIndex('nope'), -1);
});

it('leave never drives counts below zero (a double release is harmless)', () => {
  const c = new AdmissionControl({ ...DEFAULT_OVERLOAD, maxInFlight: 2 }, DEFAULT_PRIORITIES, new FixedLoadSampler());
  c.leave(INTERACTIVE);
  assert.equal(c.snapshot().inFlight, 0);
  assert.equal(c.tryEnter(INTERACTIVE), true);
  assert.equal(c.tryEnter(INTERACTIVE), true);
  assert.equal(c.tryEnter(INTERACTIVE), false);
});
