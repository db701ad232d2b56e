#!/usr/bin/env node
/**
 * A/B of two gateway builds under the same load, to judge a change on a machine whose speed drifts:
 * this checkout ("new") and another one ("old", e.g. `git worktree add /tmp/old <commit>`, with
 * node_modules linked and `npx tsc -p tsconfig.build.json` run there) each run their gateway against
 * one simulated upstream, alternating rounds, so drift hits both alike.
 *
 *   node scripts/bench-ab.mjs /tmp/old                                   closed loop, JSON, 32 connections
 *   node scripts/bench-ab.mjs /tmp/old --scenario stream --connections 256 --rounds 6
 *   node scripts/bench-ab.mjs /tmp/old --rate 500                        open loop: added TTFB vs direct (and the proxy)
 *   node scripts/bench-ab.mjs /tmp/old --format anthropic --scenario stream   POST /v1/messages to a simulated Anthropic upstream
 *   node scripts/bench-ab.mjs . --new-node-flags='--max-semi-space-size=32'   one build, with and without V8 settings
 *   node scripts/bench-ab.mjs . --new-config='journal: { enabled: true }'   one build, a feature on (new) and off (old)
 *   node scripts/bench-ab.mjs . --new-config="$(cat guard.yaml)" --new-key='{"name":"bench","limits":{...}}'
 *                                                                        the new side's requests carry a virtual key made at start
 *   node scripts/bench-ab.mjs . --new-config=... --watch-pid "$(pgrep -f 'redis-server 127.0.0.1:6379')"
 *                                                                        also that process's CPU µs per request, during each side's rounds
 *
 * Closed loop reports req/s and the gateway's CPU µs per request (the steadier of the two); open
 * loop reports the p50 time to first byte added over calling the upstream directly. Medians of rounds.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runClosed, runOpen } from './bench/load.mjs';
import { cpuTimeMs, memoryMb, startServer, stopServer } from './bench/processes.mjs';
import { median } from './bench/report.mjs';
import { benchRequest } from './bench/bench-request.mjs';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    scenario: { type: 'string', default: 'json' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '6' },
    rate: { type: 'string' },
    format: { type: 'string', default: 'openai' },
    'new-node-flags': { type: 'string', default: '' },
    // YAML appended to each side's bench config, and a virtual key each side's requests carry (JSON key input).
    'old-config': { type: 'string', default: '' },
    'new-config': { type: 'string', default: '' },
    'old-key': { type: 'string' },
    'new-key': { type: 'string' },
    // Another process whose CPU each side's rounds cost (a redis-server on the same cores).
    'watch-pid': { type: 'string' },
  },
});
const oldRoot = positionals[0];
if (!oldRoot || !(existsSync(`${oldRoot}/dist/gateway/gateway.js`) || existsSync(`${oldRoot}/dist/http/server.js`)) || !existsSync(`${oldRoot}/scripts/bench/server-child.mjs`)) {
  process.stderr.write('usage: node scripts/bench-ab.mjs <other checkout, built> [--scenario json|stream] [--connections N] [--rounds N] [--rate R] [--format openai|anthropic] [--new-node-flags="..."]\n');
  process.exit(2);
}
if (!['openai', 'anthropic'].includes(args.format)) throw new Error('--format must be openai or anthropic');
const stream = args.scenario === 'stream';
const watchPid = args['watch-pid'] ? Number(args['watch-pid']) : undefined;
const request = benchRequest(args.format);
const body = request.body(stream);
const load = (t, seconds) =>
  args.rate
    ? runOpen({ url: t.url, path: request.path, body, rate: Number(args.rate), seconds, warmupSeconds: 0.5, stream, streamEnd: request.streamEnd })
    : runClosed({ url: t.url, path: request.path, body, connections: Number(args.connections), seconds, ...(t.authorization ? { authorization: t.authorization } : {}) });

/** A gateway from `root`'s own bench child (its dist/), pointed at the shared upstream, with its side's config and key. */
const gatewayFrom = (root, name, upstreamUrl, execArgv = []) => {
  const env = { BENCH_CONFIG_EXTRA: args[`${name}-config`] };
  if (args[`${name}-key`]) env.BENCH_KEY = args[`${name}-key`];
  return startServer(name, 'gateway', [upstreamUrl, args.format], { script: `${root}/scripts/bench/server-child.mjs`, execArgv, env });
};

const upstream = await startServer('upstream', 'upstream', [args.format]);
const servers = [upstream];
try {
  const gateways = [await gatewayFrom(oldRoot, 'old', upstream.url), await gatewayFrom(new URL('..', import.meta.url).pathname, 'new', upstream.url, args['new-node-flags'].split(' ').filter(Boolean))];
  servers.push(...gateways);
  const targets = [...gateways];
  if (args.rate) {
    const proxy = await startServer('proxy', 'proxy', [upstream.url]);
    servers.push(proxy);
    targets.unshift({ name: 'direct', url: upstream.url }, { name: 'proxy', url: proxy.url });
  }
  const results = Object.fromEntries(targets.map((t) => [t.name, []]));
  for (const t of targets) await load(t, 2);
  for (let round = 0; round < Number(args.rounds); round++) {
    for (const t of targets.map((_, i) => targets[(i + round) % targets.length])) {
      const cpu0 = t.pid ? cpuTimeMs(t.pid) : 0;
      const watched0 = watchPid ? cpuTimeMs(watchPid) : 0;
      const r = await load(t, 3);
      const perRequest = (ms) => (ms * 1000) / Math.max(1, r.requests);
      results[t.name].push(args.rate ? { ttfb: r.ttfb.p50 } : { rps: r.rps, cpuUs: perRequest(cpuTimeMs(t.pid) - cpu0), watchedUs: watchPid ? perRequest(cpuTimeMs(watchPid) - watched0) : 0 });
    }
  }
  const fmt = (xs) => `${xs.map((x) => x.toFixed(args.rate ? 2 : 0)).join(' ')}  median ${median(xs).toFixed(args.rate ? 2 : 0)}`;
  for (const t of targets) {
    const rs = results[t.name];
    if (args.rate) process.stdout.write(`${t.name.padEnd(7)} added TTFB p50 ms: ${fmt(rs.map((r, i) => r.ttfb - results.direct[i].ttfb))}\n`);
    else {
      process.stdout.write(`${t.name.padEnd(4)} req/s: ${fmt(rs.map((r) => r.rps))} | CPU µs/req: ${fmt(rs.map((r) => r.cpuUs))} | peak RSS ${memoryMb(t.pid).peakRssMb.toFixed(0)} MB\n`);
      if (watchPid) process.stdout.write(`${t.name.padEnd(4)} pid ${watchPid} CPU µs/req: ${fmt(rs.map((r) => r.watchedUs))}\n`);
    }
  }
  if (!args.rate) {
    // Rounds alternate which build goes first, so each round's ratio cancels the drift the two shared.
    const ratios = results.new.map((r, i) => r.rps / results.old[i].rps);
    process.stdout.write(`new/old req/s per round: ${ratios.map((x) => x.toFixed(2)).join(' ')}  median ${median(ratios).toFixed(3)}\n`);
  }
} finally {
  for (const s of servers) if (s.child) await stopServer(s);
}
