#!/usr/bin/env node
/**
 * Overload (issue #25): does the guard keep the requests it admits as fast as on a quiet day, and
 * refuse the rest at once, lower classes first? The gateway (the built dist/, its own process) runs
 * in front of one simulated provider that takes `--upstream-ms` to answer, with its in-flight line
 * at `--line`: it carries line / upstream time requests a second. An open-loop client (planned send
 * times, so a slow answer never hides the next request) offers it:
 *
 *   1. half of that, interactive only: the unloaded latency;
 *   2. `--factor` times it (default 3), every other request marked `x-switchyard-priority: batch`.
 *
 * Reports per class the admitted and refused counts, the admitted p99 (against the unloaded p99)
 * and the refusals' p99, and the gateway's peak RSS; then checks the gateway still answers.
 *
 *   npm run build && node scripts/bench/overload.mjs [--line 64] [--upstream-ms 100] [--seconds 5] [--factor 3]
 */
import { parseArgs } from 'node:util';
import { runOpen } from './load.mjs';
import { memoryMb, startServer, stopServer } from './processes.mjs';
import { benchRequest } from './bench-request.mjs';

const { values: args } = parseArgs({
  options: {
    line: { type: 'string', default: '64' },
    'upstream-ms': { type: 'string', default: '100' },
    seconds: { type: 'string', default: '5' },
    factor: { type: 'string', default: '3' },
    scenario: { type: 'string', default: 'json' },
  },
});
const line = Number(args.line);
const upstreamMs = Number(args['upstream-ms']);
const seconds = Number(args.seconds);
const factor = Number(args.factor);
const stream = args.scenario === 'stream';
const carries = Math.round((line * 1000) / upstreamMs);

const guardYaml = `guard:\n  overload: { max_in_flight: ${line}, retry_after_ms: 1000 }\n`;
const upstream = await startServer('upstream', 'upstream', ['openai'], { env: { BENCH_UPSTREAM_TTFT_MS: String(upstreamMs) } });
const gateway = await startServer('gateway', 'gateway', [upstream.url, 'openai'], { env: { BENCH_CONFIG_EXTRA: guardYaml } });

try {
  const request = benchRequest('openai');
  const body = request.body(stream);
  const load = (rate, classes) =>
    runOpen({ url: gateway.url, path: request.path, body, rate, seconds, warmupSeconds: 1, stream, streamEnd: request.streamEnd, classes, connections: 1024 });

  console.log(`gateway carries ${carries} req/s (in-flight line ${line}, upstream ${upstreamMs} ms); ${args.scenario}, ${seconds} s per phase`);
  const quiet = await load(Math.round(carries / 2), [{ name: 'interactive', headers: {} }]);
  const busy = await load(Math.round(carries * factor), [
    { name: 'interactive', headers: {} },
    { name: 'batch', headers: { 'x-switchyard-priority': 'batch' } },
  ]);
  const after = await load(Math.round(carries / 4), [{ name: 'interactive', headers: {} }]);
  const mem = memoryMb(gateway.pid);

  const row = (phase, rate, name, c) =>
    `| ${phase} | ${rate} | ${name} | ${c.ok} | ${c.refused} | ${fmt(c.latency.p50)} | ${fmt(c.latency.p99)} | ${fmt(c.refusal.p99)} | ${JSON.stringify(c.statuses)} |`;
  console.log('\n| phase | offered req/s | class | admitted | refused | admitted p50 ms | admitted p99 ms | refusal p99 ms | statuses |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  console.log(row('unloaded', Math.round(carries / 2), 'interactive', quiet.classes.interactive));
  for (const [name, c] of Object.entries(busy.classes)) console.log(row(`${factor}x`, Math.round(carries * factor), name, c));
  console.log(row('after', Math.round(carries / 4), 'interactive', after.classes.interactive));
  console.log(`\ngateway peak RSS ${mem.peakRssMb.toFixed(0)} MB; client errors ${busy.errors}, aborted ${busy.aborted}, skipped ${busy.skipped}`);
  // The client's own lateness counts against the gateway (latency is from the planned send time): shown so it can be told apart.
  console.log(`client send lag p99: unloaded ${fmt(quiet.sendLag.p99)} ms, ${factor}x ${fmt(busy.sendLag.p99)} ms`);

  const unloadedP99 = quiet.classes.interactive.latency.p99;
  const admittedP99 = Math.max(...Object.values(busy.classes).map((c) => c.latency.p99).filter(Number.isFinite));
  const refusalP99 = Math.max(...Object.values(busy.classes).map((c) => c.refusal.p99).filter(Number.isFinite));
  const share = (c) => c.refused / Math.max(1, c.ok + c.refused);
  const checks = [
    [`admitted p99 ${fmt(admittedP99)} ms within 1.5x of unloaded ${fmt(unloadedP99)} ms`, admittedP99 <= 1.5 * unloadedP99],
    [`refusals p99 ${fmt(refusalP99)} ms <= 20 ms`, refusalP99 <= 20],
    [`batch shed first: ${pct(share(busy.classes.batch))} of batch refused, ${pct(share(busy.classes.interactive))} of interactive`, share(busy.classes.batch) > share(busy.classes.interactive)],
    [`answers normally afterwards (${after.classes.interactive.ok} of ${after.planned} ok)`, after.classes.interactive.ok === after.planned],
  ];
  for (const [what, ok] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
} finally {
  await Promise.all([stopServer(gateway), stopServer(upstream)]);
}

function fmt(ms) {
  return Number.isFinite(ms) ? ms.toFixed(1) : '-';
}

function pct(x) {
  return `${(100 * x).toFixed(0)}%`;
}
