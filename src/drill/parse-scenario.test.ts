/**
 * Scenario files: every built-in loads and states its assumptions; mistakes are reported all
 * at once, each with its path and what was expected, like the configuration's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinScenarioNames, loadScenario } from './load-scenario.js';
import { parseScenario } from './parse-scenario.js';
import { ScenarioError } from './scenario-error.js';

function issues(text: string): string[] {
  try {
    parseScenario(text, 's.yaml');
  } catch (e) {
    assert.ok(e instanceof ScenarioError, String(e));
    return e.issues.map((i) => `${i.path}: ${i.message}`);
  }
  assert.fail('expected a ScenarioError');
}

const BASE = `name: s
title: t
start: 2025-01-01T10:00:00Z
duration: 1h
load: { rate_per_min: 10 }
`;

test('every built-in scenario loads, covers its phases and says what it assumes', () => {
  const names = builtinScenarioNames();
  for (const n of ['2024-12-11-openai', '2024-06-04-domino', '2023-11-08-ddos', 'total-outage', 'slow-burn', 'stall', 'partial', 'staggered-recovery', 'mid-stream-cuts']) assert.ok(names.includes(n), n);
  for (const n of names) {
    const s = loadScenario(n, process.cwd());
    assert.equal(s.name, n);
    assert.ok(s.assumptions.length >= 2, `${n} states its assumptions`);
    assert.ok(s.providers.some((p) => p.phases.some((c) => c.fail > 0)), `${n} breaks something`);
    assert.ok(s.end > s.phases.at(-1)!.at);
  }
});

test('phase times: HH:MM rolls over midnight, +offsets count from the start', () => {
  const s = loadScenario('2024-12-11-openai', process.cwd());
  const at = (name: string) => new Date(s.phases.find((p) => p.name === name)!.at).toISOString();
  assert.equal(at('dns ramp'), '2024-12-11T23:16:00.000Z');
  assert.equal(at('recovering'), '2024-12-12T01:36:00.000Z');
  assert.equal(new Date(s.end).toISOString(), '2024-12-12T04:00:00.000Z');
  const t = parseScenario(`${BASE}phases:\n  - { name: a }\n  - { name: b, at: "+20m" }\n`.replace('{ name: a }', '{ name: a, at: "+0m" }'), 's');
  assert.equal(t.phases[1]!.at - t.start, 20 * 60_000);
});

test('faults: every kind maps to the simulator, shares default to 1, a phase with faults fails fully by default', () => {
  const s = parseScenario(
    `${BASE}phases:
  - { name: calm, at: "10:00" }
  - { name: bad, at: "10:10" }
providers:
  - match: openai
    phases:
      bad:
        ramp: 5m
        faults:
          - { status: 429, retry_after: 30s, share: 2 }
          - { status: 429, body: '{"status":"come back later"}' }
          - { edge: 502 }
          - { refuse: true }
          - { stall: forever }
          - { stall_after: 3, for: 40s }
          - { cut_after: 5 }
          - { malformed_after: 2, continue: true }
          - { error_event_after: 4 }
          - { trickle: 2s }
          - { overloaded: true }
`,
    's',
  );
  const bad = s.providers[0]!.phases[1]!;
  assert.equal(bad.fail, 1);
  assert.equal(bad.rampMs, 300_000);
  assert.deepEqual(
    bad.faults.map((f) => f.fault),
    [
      { kind: 'status', status: 429, retryAfterSeconds: 30 },
      { kind: 'body', status: 429, body: '{"status":"come back later"}' },
      { kind: 'edge-html', status: 502 },
      { kind: 'reset' },
      { kind: 'stall-before-first-byte' },
      { kind: 'stall-after', after: 3, ms: 40_000 },
      { kind: 'cut-after', after: 5 },
      { kind: 'malformed-after', after: 2, continue: true },
      { kind: 'error-after', after: 4 },
      { kind: 'trickle', chunkDelayMs: 2000 },
      'overloaded',
    ],
  );
  assert.deepEqual(bad.faults.map((f) => f.share), [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.equal(bad.faults[0]!.label, 'status 429');
});

test('mistakes come back together, each with its path, what was expected and a did-you-mean', () => {
  const found = issues(`name: s
title: t
start: 2025-01-01T10:00:00Z
duration: 1h
lod: { rate_per_min: 10 }
phases:
  - { name: calm, at: "10:00" }
  - { name: calm, at: "10:30" }
providers:
  - match: openai
    latency: { ttft: fast }
    phases:
      clam: { fail: 2 }
      calm: { faults: [{ status: 503, cut_after: 2 }, { statu: 503 }, {}] }
`);
  assert.deepEqual(found, [
    'load: missing; expected a mapping like { rate_per_min: 20 }',
    'providers[0].latency.ttft: "fast" is not a duration; expected a duration like 90s, 20m or 1h30m',
    'providers[0].phases.clam.fail: 2 is out of range; expected a failing share from 0 to 1',
    'providers[0].phases.calm.faults[0]: names status and cut_after; a fault is exactly one of status, overloaded, edge, refuse, stall, stall_after, cut_after, malformed_after, error_event_after, trickle (list several faults with shares instead)',
    'providers[0].phases.calm.faults[1].statu: unknown key (did you mean "status"?); allowed keys: share, status, retry_after, quota, body, content_type, overloaded, edge, refuse, stall, stall_after, for, cut_after, malformed_after, continue, error_event_after, trickle',
    'providers[0].phases.calm.faults[1]: says nothing about what fails; expected one of status, overloaded, edge, refuse, stall, stall_after, cut_after, malformed_after, error_event_after, trickle',
    'providers[0].phases.calm.faults[2]: says nothing about what fails; expected one of status, overloaded, edge, refuse, stall, stall_after, cut_after, malformed_after, error_event_after, trickle',
    'lod: unknown key (did you mean "load"?); allowed keys: name, title, source, description, seed, start, end, duration, assumptions, load, phases, providers',
    'phases[1].name: duplicate phase name "calm"; phase names must be unique',
    'providers[0].phases.clam: no phase is named "clam" (did you mean "calm"?); phases: calm, calm',
  ]);
});

test('a well-shaped file is still checked: timeline order, references, failures without faults, one of end or duration', () => {
  assert.deepEqual(
    issues(`name: s
title: t
start: 2025-01-01T10:00:00Z
end: "10:20"
duration: 1h
load: { rate_per_min: 10, answer_words: [50, 10] }
phases:
  - { name: calm, at: "10:05" }
  - { name: bad, at: "+2m" }
providers:
  - match: openai
    phases: { bad: { fail: 0.5 } }
  - match: anthropic
    coupling: [{ from: opnai, share: 0.3 }]
`),
    [
      'phases[0].at: the first phase begins at the scenario’s start; move start or this phase',
      'phases[1].at: begins before the phase above it ends; phases are listed in time order',
      'end: give exactly one of end (a time like 17:30) or duration (like 11h)',
      'providers[0].phases.bad.faults: fail is 0.5 but no fault says what failing requests get; add faults, e.g. [{ status: 503 }]',
      'providers[1].coupling[0].from: no provider entry matches "opnai" (did you mean "openai"?); entries: openai, anthropic',
      'load.answer_words: [50, 10] is not [min, max]; the first is the smaller',
    ],
  );
});

test('an unknown scenario name suggests the built-in it resembles; a missing file says so', () => {
  assert.throws(() => loadScenario('2024-06-04-dominoes', process.cwd()), /did you mean "2024-06-04-domino"\?/);
  assert.throws(() => loadScenario('nowhere/at-all.yaml', process.cwd()), /nowhere\/at-all\.yaml: file not found/);
});
