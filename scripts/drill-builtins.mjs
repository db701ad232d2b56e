#!/usr/bin/env node
// Runs every built-in drill scenario at its own speed against the built-in example
// configuration (or --config FILE), one after the other, and prints each one's wall time
// and the gateway's and the baseline's success: the check that each replays in <= 90 s.
// Usage: node scripts/drill-builtins.mjs [--config FILE] [name ...]
// Runs from the build when there is one (npm run build), else from source through tsx.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const configAt = args.indexOf('--config');
const config = configAt === -1 ? [] : ['--config', args[configAt + 1]];
const wanted = configAt === -1 ? args : args.filter((_, i) => i !== configAt && i !== configAt + 1);
const built = existsSync('dist/cli/main.js');
const cli = built ? ['bin/switchyard.js'] : ['--import', 'tsx', 'src/cli/main.ts'];
const names = wanted.length > 0 ? wanted : readdirSync('src/drill/scenarios').filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5));
const out = mkdtempSync(join(tmpdir(), 'switchyard-drills-'));

console.log(`${built ? 'dist' : 'source (tsx)'}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
let slowest = 0;
for (const name of names) {
  const json = join(out, `${name}.json`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...cli, 'drill', name, ...config, '--json', json], { stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = (performance.now() - t0) / 1000;
  slowest = Math.max(slowest, wall);
  if (r.status !== 0) {
    console.log(`${name.padEnd(20)} exit ${r.status}: ${String(r.stderr).trim().split('\n').at(-1)}`);
    continue;
  }
  const rep = JSON.parse(readFileSync(json, 'utf8'));
  const pct = (s) => (s ? `${(s.successRate * 100).toFixed(2)}%` : '-');
  console.log(`${name.padEnd(20)} ${wall.toFixed(1).padStart(5)} s wall  ${String(rep.run.requests).padStart(5)} requests  ${Math.round(rep.run.speed)}x  gateway ${pct(rep.overall.gateway)}  no gateway ${pct(rep.overall.baseline)}`);
}
console.log(`slowest: ${slowest.toFixed(1)} s; reports in ${out}`);
