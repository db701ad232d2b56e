/**
 * What a provider's model goes through at a moment of the scenario: ramps move from one
 * phase's values to the next, staggered phases start later for later models, traffic that
 * flees one provider loads the ones coupled to it (2024-06-04).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from './parse-scenario.js';
import { conditionAt, conditionsFor, externalLoad, failingSince, globMatch, phaseIndexAt } from './timeline.js';

const S = parseScenario(
  `name: t
title: t
start: 2025-01-01T10:00:00Z
duration: 2h
load: { rate_per_min: 10 }
phases:
  - { name: calm, at: "10:00" }
  - { name: down, at: "10:10" }
  - { name: back, at: "10:40" }
providers:
  - match: openai
    base_load: 100
    phases:
      down: { fail: 1, ramp: 10m, latency: { ttft: 5s }, faults: [{ status: 503 }] }
      back: { fail: 0, stagger: 20m }
    models:
      - { match: "gpt-4o*", phases: { down: { fail: 0.5, faults: [{ status: 500 }] } } }
  - match: anthropic
    capacity: 60
    base_load: 30
    coupling: [{ from: openai, share: 0.2 }]
`,
  't',
);
const min = 60_000;
const at = (m: number) => S.start + m * min;
const [openai, anthropic] = S.providers as [(typeof S.providers)[0], (typeof S.providers)[0]];

test('a ramp moves fail and latency linearly from the previous phase', () => {
  const c = (m: number) => conditionAt(S.phases, openai.phases, 0, at(m));
  assert.equal(c(9).fail, 0);
  assert.equal(c(10).fail, 0);
  assert.equal(c(15).fail, 0.5);
  assert.equal(c(15).latency.ttftMs, (600 + 5000) / 2);
  assert.equal(c(25).fail, 1);
  assert.equal(phaseIndexAt(S.phases, at(25)), 1);
});

test('a staggered phase reaches model n of the provider n x stagger later', () => {
  const fail = (model: number, m: number) => conditionAt(S.phases, openai.phases, model, at(m)).fail;
  assert.equal(fail(0, 41), 0);
  assert.equal(fail(1, 41), 1);
  assert.equal(fail(1, 61), 0);
  assert.equal(fail(2, 79), 1);
  assert.equal(fail(2, 81), 0);
});

test('per-model overrides match by glob', () => {
  assert.ok(globMatch('gpt-4o*', 'gpt-4o-mini') && !globMatch('gpt-4o*', 'o1') && globMatch('*', 'x'));
  assert.equal(conditionAt(S.phases, conditionsFor(openai, 'gpt-4o-mini'), 0, at(30)).fail, 0.5);
  assert.equal(conditionAt(S.phases, conditionsFor(openai, 'o1'), 0, at(30)).fail, 1);
});

test('traffic fleeing a failing provider loads the providers coupled to it', () => {
  const load = (m: number) => externalLoad(S.phases, S.providers, anthropic, conditionAt(S.phases, anthropic.phases, 0, at(m)), at(m));
  assert.equal(load(5), 30);
  assert.equal(load(15), 30 + 0.2 * 100 * 0.5);
  assert.equal(load(30), 50);
  assert.equal(conditionAt(S.phases, anthropic.phases, 0, at(30)).capacity, 60);
});

test('a failing stretch starts where the failing phases begin', () => {
  assert.equal(failingSince(S.phases, openai.phases, at(5)), undefined);
  assert.equal(failingSince(S.phases, openai.phases, at(30)), at(10));
});
