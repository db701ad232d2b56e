#!/usr/bin/env node
// Runs every src/**/*.test.ts with Node's test runner (tsx loads TypeScript).
// Node 20's --test takes no globs, so we find the files here.
// Usage: node scripts/run-tests.mjs [path-substring ...]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === '__fixtures__') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = find('src', []).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Node 20's --test-timeout bounds each file as a whole. Files that run long on purpose (50 real
// kill-and-restart rounds) get their own run and bound, after the others, so they neither hit the
// common bound nor compete with timing-sensitive tests for the CPU.
const LONG = { 'src/journal/crash-safety.test.ts': 900_000 };
const run = (list, timeoutMs) => spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${timeoutMs}`, ...list], { stdio: 'inherit' }).status ?? 1;
const common = files.filter((f) => !(f in LONG));
let status = common.length > 0 ? run(common, 180_000) : 0;
for (const f of files.filter((f) => f in LONG)) status = run([f], LONG[f]) || status;
process.exit(status);
