#!/usr/bin/env node
/**
 * Where did the gateway's CPU go? Summarises a V8 .cpuprofile (from `bench.mjs --cpu-prof`)
 * by self time: the top functions, and totals per package/area (gateway dist/ folders,
 * node_modules packages, node internals, GC, idle).
 *   node scripts/bench/profile-summary.mjs bench-results/profiles/<file>.cpuprofile [top=25]
 *   node scripts/bench/profile-summary.mjs <file>.cpuprofile 10 writev   who calls writev (4 frames up)
 *   node scripts/bench/profile-summary.mjs <file>.cpuprofile 40 --inclusive   functions by total time (self + callees)
 */
import { readFileSync } from 'node:fs';

const [file, topArg, callersOf] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: profile-summary.mjs <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Self time per node: each sample's time delta belongs to the node it hit (timeDeltas[i] precedes samples[i]).
const self = new Map();
let total = 0;
for (let i = 0; i < prof.samples.length; i++) {
  const dt = prof.timeDeltas[i + 1] ?? 0;
  self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + dt);
  total += dt;
}

/** Which area a frame belongs to: gateway folder, npm package, node internal, or a V8 pseudo-frame. */
function area(cf) {
  const url = cf.url ?? '';
  if (!url) return `(${cf.functionName || 'program'})`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `npm:${nm[1]}`;
  const dist = /\/dist\/([^/]+)\//.exec(url);
  if (dist) return `gateway:${dist[1]}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  return url.split('/').slice(-2).join('/');
}

const fns = new Map();
const areas = new Map();
for (const [id, us] of self) {
  const cf = byId.get(id).callFrame;
  const key = `${cf.functionName || '(anonymous)'}  ${(cf.url ?? '').replace(/^.*\/(dist|node_modules)\//, '$1/')}:${cf.lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const a = area(cf);
  areas.set(a, (areas.get(a) ?? 0) + us);
}

const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
process.stdout.write(`total sampled: ${(total / 1e6).toFixed(2)} s\n\nby area (self time):\n`);
for (const [a, us] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, top)) process.stdout.write(`${pct(us)} ${ms(us)}  ${a}\n`);
process.stdout.write(`\ntop ${top} functions (self time):\n`);
for (const [k, us] of [...fns].sort((x, y) => y[1] - x[1]).slice(0, top)) process.stdout.write(`${pct(us)} ${ms(us)}  ${k}\n`);

if (callersOf === '--inclusive') {
  // Total time per function: every sample counts once for each distinct function on its stack.
  const incl = new Map();
  for (const [id, us] of self) {
    const seen = new Set();
    for (let n = id; n !== undefined; n = parent.get(n)) {
      const cf = byId.get(n).callFrame;
      if (!cf.url) continue;
      const key = `${cf.functionName || '(anonymous)'}  ${cf.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${cf.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + us);
    }
  }
  process.stdout.write(`\ntop ${top} functions (inclusive time):\n`);
  for (const [k, us] of [...incl].sort((x, y) => y[1] - x[1]).slice(0, top)) process.stdout.write(`${pct(us)} ${ms(us)}  ${k}\n`);
} else if (callersOf) {
  // Self time of `callersOf`, grouped by the chain of its 4 nearest callers.
  const chains = new Map();
  for (const [id, us] of self) {
    if (byId.get(id).callFrame.functionName !== callersOf) continue;
    const names = [];
    for (let p = parent.get(id); p !== undefined && names.length < 4; p = parent.get(p)) {
      const cf = byId.get(p).callFrame;
      names.push(`${cf.functionName || '(anonymous)'}@${(cf.url ?? '').split('/').pop()}:${cf.lineNumber + 1}`);
    }
    const key = names.join(' < ');
    chains.set(key, (chains.get(key) ?? 0) + us);
  }
  process.stdout.write(`\ncallers of ${callersOf} (self time):\n`);
  for (const [k, us] of [...chains].sort((x, y) => y[1] - x[1]).slice(0, top)) process.stdout.write(`${pct(us)} ${ms(us)}  ${k}\n`);
}
