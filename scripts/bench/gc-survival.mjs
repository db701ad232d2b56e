#!/usr/bin/env node
/**
 * How much of each request outlives a young-generation collection, per gateway build: the bytes
 * V8's scavenger copies (new_space_survived) and promotes to the old generation, per request, under
 * 256 concurrent streams (or JSON). A scavenge costs in proportion to what survives it, and what is
 * promoted grows the old generation, so these two figures predict the gateway's GC time at high
 * concurrency and its memory, and are far steadier on a noisy VM than req/s. Also per request: the
 * bytes allocated (what sets how often scavenges come) and the scavenges' pause time.
 *
 *   node scripts/bench/gc-survival.mjs                      this checkout (build first)
 *   node scripts/bench/gc-survival.mjs /tmp/old             this checkout and another built one, alternating
 *   node scripts/bench/gc-survival.mjs --scenario json --connections 32 --rounds 3
 *   node scripts/bench/gc-survival.mjs --proxy              the pass-through proxy measured alike, as the baseline
 *
 * Each run: a simulated OpenAI upstream, the gateway's bench child under `--trace-gc-nvp`, wrk for
 * 8 s. Figures are per request over the whole run (start-up included, which is small next to it).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findWrk } from './load.mjs';
import { startServer, stopServers } from './processes.mjs';
import { benchRequest } from './bench-request.mjs';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { scenario: { type: 'string', default: 'stream' }, connections: { type: 'string', default: '256' }, rounds: { type: 'string', default: '2' }, seconds: { type: 'string', default: '8' }, proxy: { type: 'boolean', default: false } },
});
const wrk = findWrk();
if (!wrk) {
  process.stderr.write('gc-survival needs wrk (apt-get install -y wrk)\n');
  process.exit(2);
}
const here = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const builds = [{ name: 'this', root: here }, ...positionals.map((root, i) => ({ name: positionals.length > 1 ? `other${i + 1}` : 'other', root }))];
if (args.proxy) builds.push({ name: 'proxy', root: here, kind: 'proxy' });
const request = benchRequest('openai');
const wrkScript = new URL('./wrk-post.lua', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'switchyard-gc-'));

/** wrk against url for the run's duration, asynchronously (this process keeps reading its children's pipes). */
function load(url) {
  return new Promise((resolve, reject) => {
    const c = spawn(wrk, ['-t1', `-c${args.connections}`, `-d${args.seconds}s`, '-s', wrkScript, url + request.path], {
      env: { ...process.env, BENCH_BODY: request.body(args.scenario === 'stream') },
    });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('error', reject);
    c.on('exit', () => {
      const m = /BENCH_JSON (.*)/.exec(out);
      if (m) resolve(JSON.parse(m[1]));
      else reject(new Error(`wrk printed no summary: ${out.slice(0, 200)}`));
    });
  });
}

const upstream = await startServer('upstream', 'upstream', ['openai']);
try {
  for (let round = 0; round < Number(args.rounds); round++) {
    for (const b of builds) {
      const log = join(dir, `${b.name}-${round}.log`);
      const kind = b.kind ?? 'gateway';
      const gw = await startServer(b.name, kind, kind === 'proxy' ? [upstream.url] : [upstream.url, 'openai'], { execArgv: ['--trace-gc-nvp'], stdout: log, script: `${b.root}/scripts/bench/server-child.mjs` });
      const r = await load(gw.url);
      await stopServers({ gw });
      let promoted = 0;
      let survived = 0;
      let allocated = 0;
      let pauseMs = 0;
      let scavenges = 0;
      for (const m of readFileSync(log, 'utf8').matchAll(/pause=([\d.]+) .*?gc=s .*? allocated=(\d+) promoted=(\d+) new_space_survived=(\d+)/g)) {
        pauseMs += Number(m[1]);
        allocated += Number(m[2]);
        promoted += Number(m[3]);
        survived += Number(m[4]);
        scavenges++;
      }
      const per = (n) => Math.round(n / r.requests);
      console.log(
        `${b.name.padEnd(7)} round ${round + 1}: ${r.requests} requests, ${scavenges} scavenges (${((pauseMs * 1000) / r.requests).toFixed(1)} µs/request), ` +
          `allocated ${per(allocated)} B/request, survived ${per(survived)} B/request, promoted ${per(promoted)} B/request`,
      );
    }
  }
} finally {
  await stopServers({ upstream });
  rmSync(dir, { recursive: true, force: true });
}
