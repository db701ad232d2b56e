#!/usr/bin/env node
/**
 * Switchyard benchmark (issue #2): the BUILT gateway (dist/) against the same simulated
 * OpenAI upstream called directly and through a minimal Node pass-through proxy.
 *
 *   npm run bench                       full run (build first; 5 rounds, about 10 minutes)
 *   node scripts/bench.mjs --quick      smoke run: short durations, one round
 *   node scripts/bench.mjs --scenario json|stream   one scenario only
 *   node scripts/bench.mjs --only closed|open       one loop kind only
 *   node scripts/bench.mjs --rounds 3               fewer rounds (default 5: one round alone swings 0.6-1.3x on a noisy VM)
 *   node scripts/bench.mjs --format anthropic       the same scenarios in Anthropic Messages: simulated
 *                                                   Anthropic upstream, a `type: anthropic` provider,
 *                                                   POST /v1/messages (pass-through on both hops); results
 *                                                   go to bench-results/<date>-anthropic.{md,json}
 *   node scripts/bench.mjs --cpu-prof               also write the gateway's CPU profile
 *                                                   (bench-results/profiles/*.cpuprofile)
 *   node scripts/bench/profile-summary.mjs FILE.cpuprofile [top] [fn]   where the CPU went
 *                                                   (by area and function; callers of fn)
 *   node scripts/bench.mjs --gateway-log FILE       keep the gateway's logs (default: read and dropped)
 *   node scripts/bench.mjs --gateway-node-flags='--max-semi-space-size=8' extra node flags for the gateway
 *                                                   process only (to try V8 settings; the report says which)
 *   node scripts/bench.mjs --wait-quiet 10          first wait up to 10 minutes for idle CPUs
 *                                                   (on a box shared with builds and tests)
 *
 * What runs: three servers, each its own node process — upstream (SimServer + openaiWire,
 * or anthropicWire with --format anthropic; no artificial delay), proxy
 * (scripts/bench/passthrough-proxy.mjs) and gateway (`switchyard serve` as users run it: a YAML
 * config with one openai — or anthropic — provider at the upstream and the alias 'bench', its
 * SQLite health store, LOG_LEVEL default, access lines on a pipe the bench reads).
 * Load always comes from another process: wrk for closed loop (32 and 256 connections;
 * autocannon if wrk is missing — `apt-get install -y wrk`), our open-loop driver for fixed
 * rates (500 and 2000 req/s) with latency and time to first byte. Rounds interleave the
 * targets (direct, proxy, gateway, rotated each round); the report gives medians across
 * rounds, gateway/proxy throughput ratios, added latency vs direct, peak RSS (VmHWM) of
 * each server, CPU µs per request of each hop (/proc/<pid>/stat; on a CPU-bound box this
 * is what decides throughput) and pass/fail against the acceptance figures. Markdown goes to stdout and
 * to bench-results/<date>.md, the raw numbers to bench-results/<date>.json.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { findWrk, runClosed, runOpen } from './bench/load.mjs';
import { cpuTimeMs, memoryMb, startServers, stopServers } from './bench/processes.mjs';
import { idleShare, waitForQuiet } from './bench/quiet.mjs';
import { acceptance, summarize, TARGETS, toMarkdown, writeResults } from './bench/report.mjs';
import { benchRequest } from './bench/bench-request.mjs';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scenario: { type: 'string' },
    only: { type: 'string' },
    rounds: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    'gateway-log': { type: 'string' },
    'gateway-node-flags': { type: 'string' },
    'wait-quiet': { type: 'string' },
    format: { type: 'string', default: 'openai' },
  },
});
if (!['openai', 'anthropic'].includes(args.format)) throw new Error('--format must be openai or anthropic');
if (args.scenario && !['json', 'stream'].includes(args.scenario)) throw new Error('--scenario must be json or stream');
if (args.only && !['closed', 'open'].includes(args.only)) throw new Error('--only must be closed or open');

const root = new URL('../', import.meta.url);
const resultsDir = new URL('bench-results/', root).pathname.replace(/\/$/, '');
const plan = {
  rounds: Number(args.rounds ?? (args.quick ? 1 : 5)),
  closedSeconds: args.quick ? 2 : 3,
  closedWarmupSeconds: 1,
  openSeconds: args.quick ? 2 : 4,
  openWarmupSeconds: 0.5,
  connections: [32, 256],
  rates: [500, 2000],
  scenarios: args.scenario ? [args.scenario] : ['json', 'stream'],
  modes: args.only ? [args.only] : ['closed', 'open'],
  initialWarmupSeconds: args.quick ? 1 : 2,
};

const ANTHROPIC = args.format === 'anthropic';
const { path: PATH, streamEnd: STREAM_END, body: requestBody } = benchRequest(args.format);
// Pause between runs so one target's leftovers (closing sockets, GC) don't land on the next.
const SETTLE_MS = 300;
const bodyFor = (scenario) => requestBody(scenario === 'stream');

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const gatewayExecArgv = [
  ...(args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${resultsDir}/profiles`] : []),
  ...(args['gateway-node-flags']?.split(/\s+/).filter(Boolean) ?? []),
];
if (args['wait-quiet']) {
  const idle = await waitForQuiet({ maxMs: Number(args['wait-quiet']) * 60_000, onWait: (i) => log(`waiting for a quiet machine: CPUs ${(i * 100).toFixed(0)}% idle`) });
  log(`CPUs ${(idle * 100).toFixed(0)}% idle; starting`);
}
const idleAtStart = await idleShare(1000);
const servers = await startServers({ gatewayLog: args['gateway-log'], gatewayExecArgv, format: args.format });
const urls = { direct: servers.upstream.url, proxy: servers.proxy.url, gateway: servers.gateway.url };
log(`upstream ${urls.direct} (pid ${servers.upstream.pid}), proxy ${urls.proxy} (pid ${servers.proxy.pid}), gateway ${urls.gateway} (pid ${servers.gateway.pid})`);

const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loadAtStart = loadavg();
const runs = [];
let memory;
try {
  await sanityCheck();
  // JIT warm-up of every path before anything is measured.
  for (const scenario of plan.scenarios) {
    for (const target of TARGETS) await runClosed({ url: urls[target], path: PATH, body: bodyFor(scenario), connections: 32, seconds: plan.initialWarmupSeconds });
  }
  for (let round = 1; round <= plan.rounds; round++) {
    const order = TARGETS.map((_, i) => TARGETS[(i + round - 1) % TARGETS.length]);
    for (const scenario of plan.scenarios) {
      const body = bodyFor(scenario);
      if (plan.modes.includes('closed')) {
        for (const connections of plan.connections) {
          for (const target of order) {
            await runClosed({ url: urls[target], path: PATH, body, connections, seconds: plan.closedWarmupSeconds });
            const before = cpuSnapshot();
            const result = await runClosed({ url: urls[target], path: PATH, body, connections, seconds: plan.closedSeconds });
            result.cpuUsPerRequest = cpuPerRequest(before, cpuSnapshot(), result.requests + result.non2xx, target);
            result.peakRssMbSoFar = peakRssSoFar(target);
            runs.push({ scenario, mode: 'closed', level: connections, target, round, result });
            await sleep(SETTLE_MS);
            log(`round ${round} ${scenario} closed c=${connections} ${target}: ${result.rps.toFixed(0)} req/s, p50 ${result.latency.p50.toFixed(2)} ms, CPU ${result.cpuUsPerRequest.server.toFixed(0)} µs/req, non-2xx ${result.non2xx}, socket errors ${result.socketErrors}`);
          }
        }
      }
      if (plan.modes.includes('open')) {
        for (const rate of plan.rates) {
          for (const target of order) {
            const result = await runOpen({ url: urls[target], path: PATH, body, rate, seconds: plan.openSeconds, warmupSeconds: plan.openWarmupSeconds, stream: scenario === 'stream', streamEnd: STREAM_END });
            result.peakRssMbSoFar = peakRssSoFar(target);
            runs.push({ scenario, mode: 'open', level: rate, target, round, result });
            await sleep(SETTLE_MS);
            const failed = result.errors + result.badStatus + result.incomplete + result.skipped + result.aborted;
            log(`round ${round} ${scenario} open ${rate}/s ${target}: ${result.achievedRate.toFixed(0)} req/s, p50 ${result.latency.p50.toFixed(2)} ms, ttfb p50 ${result.ttfb.p50.toFixed(2)} ms, failed ${failed}`);
          }
        }
      }
    }
  }
  memory = Object.fromEntries(Object.entries(servers).map(([name, s]) => [name, memoryMb(s.pid)]));
} finally {
  await stopServers(servers);
}

const summary = summarize(runs);
const checks = acceptance(summary, memory);
const now = new Date();
const meta = {
  date: now.toISOString(),
  nproc: availableParallelism(),
  cpu: /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model ?? 'unknown',
  node: process.version,
  gatewayVersion: JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).version,
  closedTool: findWrk() ? 'wrk' : 'autocannon',
  loadavg: { start: loadAtStart, end: loadavg() },
  idleAtStart,
  format: args.format,
  gatewayNodeFlags: gatewayExecArgv,
  ...plan,
};
const markdown = toMarkdown(meta, summary, memory, checks);
process.stdout.write(markdown + '\n');
const files = writeResults(resultsDir, now.toISOString().replace(/:/g, '-').replace(/\..*$/, '') + (ANTHROPIC ? '-anthropic' : ''), markdown, { meta, summary, memory, checks, runs });
log(`wrote ${files.join(' and ')}`);

/** Peak RSS of the server under test so far (MB), kept per run in the JSON to see which load drives the peak. */
function peakRssSoFar(target) {
  return memoryMb(servers[target === 'direct' ? 'upstream' : target].pid).peakRssMb;
}

/** CPU time of each server process so far (ms). */
function cpuSnapshot() {
  return Object.fromEntries(Object.entries(servers).map(([name, s]) => [name, cpuTimeMs(s.pid)]));
}

/**
 * CPU µs per answered request (any status) spent by the target server (the hop under test) and by the upstream.
 * On a CPU-bound box this is what decides throughput: the cheaper hop leaves more CPU to the rest.
 */
function cpuPerRequest(before, after, requests, target) {
  const per = (name) => ((after[name] - before[name]) * 1000) / Math.max(1, requests);
  return { server: per(target === 'direct' ? 'upstream' : target), upstream: per('upstream') };
}

/** One request of each kind through each target, so a broken setup fails fast with a clear message. */
async function sanityCheck() {
  for (const scenario of plan.scenarios) {
    for (const target of TARGETS) {
      // Bearer auth for both: the Anthropic simulator, like the Anthropic SDK since 1.x, takes it beside x-api-key.
      const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-bench-FAKE', ...(ANTHROPIC ? { 'anthropic-version': '2023-06-01' } : {}) };
      const res = await fetch(urls[target] + PATH, { method: 'POST', headers, body: bodyFor(scenario) });
      const text = await res.text();
      if (res.status !== 200 || (scenario === 'stream' && !text.includes(STREAM_END))) {
        throw new Error(`${target} ${scenario} answered ${res.status}: ${text.slice(0, 300)}`);
      }
    }
  }
}
