/**
 * `switchyard drill` as CI runs it: the exit code says whether the gateway kept enough
 * requests alive (--min-success), the reports land where asked, command-line and scenario
 * mistakes are reported plainly. Short scenarios at high speed, in-process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import { testIo } from './test-io.js';

const OUTAGE = `
name: ten-minutes
title: The primary fails for five minutes
start: 2025-01-01T10:00:00Z
duration: 10m
load: { rate_per_min: 30, stream: 0.5, answer_words: [5, 10] }
phases:
  - { name: calm, at: "10:00" }
  - { name: down, at: "10:02" }
  - { name: after, at: "10:07" }
providers:
  - match: primary
    phases:
      down: { faults: [{ status: 503 }] }
`;

const ONE_PROVIDER = `
providers:
  - { name: only, type: openai, api_key: "\${OPENAI_API_KEY}" }
models:
  - name: chat
    targets: [{ provider: only, model: gpt-4o-mini }]
`;

const TWO_PROVIDERS = `
providers:
  - { name: first, type: openai, api_key: "\${OPENAI_API_KEY}" }
  - { name: second, type: anthropic }
models:
  - name: chat
    targets: [{ provider: first, model: gpt-4o-mini }, { provider: second, model: claude-haiku-4-5 }]
`;

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'switchyard-drill-cli-'));
  writeFileSync(join(d, 'outage.yaml'), OUTAGE);
  writeFileSync(join(d, 'one.yaml'), ONE_PROVIDER);
  writeFileSync(join(d, 'two.yaml'), TWO_PROVIDERS);
  return d;
}

test('--min-success sets the exit code: 3 when the gateway kept fewer requests alive, 0 when enough', async () => {
  const cwd = dir();
  // No OPENAI_API_KEY in this environment: a drill needs no keys.
  const below = testIo({ cwd });
  assert.equal(await main(['drill', 'outage.yaml', '--config', 'one.yaml', '--speed', '200', '--no-baseline', '--min-success', '0.999', '--json', 'one.json'], below), 3, below.err());
  assert.match(below.err(), /one\.yaml: \d+\.\d{3}% of requests succeeded, below --min-success 0\.999/);
  const report = JSON.parse(readFileSync(join(cwd, 'one.json'), 'utf8')) as { version: number; overall: { gateway: { successRate: number } }; phases: { name: string }[] };
  assert.equal(report.version, 1);
  assert.ok(report.overall.gateway.successRate < 0.8);
  assert.deepEqual(report.phases.map((p) => p.name), ['calm', 'down', 'after']);

  const enough = testIo({ cwd });
  assert.equal(await main(['drill', 'outage.yaml', '--config', 'two.yaml', '--speed', '200', '--no-baseline', '--min-success', '0.999', '--html', 'two.html'], enough), 0, enough.err());
  assert.match(enough.out(), /^overall +\d+ +100\.0%/m);
  assert.match(enough.out(), /HTML report: two\.html/);
  assert.match(readFileSync(join(cwd, 'two.html'), 'utf8'), /^<!doctype html>.*<svg class="chart"/s);
});

test('--compare drills two configurations and shows them side by side', async () => {
  const cwd = dir();
  const io = testIo({ cwd });
  assert.equal(await main(['drill', 'outage.yaml', '--compare', 'one.yaml', 'two.yaml', '--speed', '300', '--no-baseline'], io), 0, io.err());
  assert.match(io.out(), /A: one\.yaml\n {2}B: two\.yaml/);
  assert.match(io.out(), /^phase +from +requests +success A +success B/m);
  assert.match(io.out(), /^down +10:02 +\d+ +[0-9.]+% +100\.0%/m);
});

test('mistakes: usage errors exit 2, an unknown scenario or a broken file exits 1 with the reason', async () => {
  const cwd = dir();
  const noScenario = testIo({ cwd });
  assert.equal(await main(['drill'], noScenario), 2);
  assert.match(noScenario.err(), /which scenario\?/);
  const badRatio = testIo({ cwd });
  assert.equal(await main(['drill', 'total-outage', '--min-success', '99.9'], badRatio), 2);
  assert.match(badRatio.err(), /--min-success "99\.9" is not a number from 0 to 1/);
  const oneCompare = testIo({ cwd });
  assert.equal(await main(['drill', 'total-outage', '--compare', 'one.yaml'], oneCompare), 2);
  const unknown = testIo({ cwd });
  assert.equal(await main(['drill', 'total-outge'], unknown), 1);
  assert.match(unknown.err(), /Scenario error:\ntotal-outge: no built-in scenario or file by this name \(did you mean "total-outage"\?\)/);
  writeFileSync(join(cwd, 'broken.yaml'), 'name: b\ntitle: t\nstart: yesterday\nload: { rate_per_min: 1 }\nphases: [{ name: a }]\nduration: 1h\n');
  const broken = testIo({ cwd });
  assert.equal(await main(['drill', 'broken.yaml'], broken), 1);
  assert.match(broken.err(), /broken\.yaml: start: "yesterday" is not an ISO time with a zone/);
  const list = testIo({ cwd });
  assert.equal(await main(['drill', '--list'], list), 0);
  assert.match(list.out(), /^ {2}2024-06-04-domino +2024-06-04: ChatGPT fails twice/m);
});
