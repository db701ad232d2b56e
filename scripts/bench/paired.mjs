#!/usr/bin/env node
/**
 * The gateway against the pass-through proxy in many short paired rounds, for one closed-loop
 * scenario: each round runs both back to back (order alternating), and the report is the
 * per-round ratios, their median and geometric mean. On a VM whose speed drifts by 25% from one
 * 3-second run to the next, the full benchmark's 5 rounds leave a ratio near 1.0 to chance; 16
 * paired rounds say which side of 1.0 it is on.
 *
 *   node scripts/bench/paired.mjs                                 stream, 256 connections, 16 rounds of 2 s
 *   node scripts/bench/paired.mjs --scenario json --connections 32 --rounds 12 --seconds 3
 *   node scripts/bench/paired.mjs --format anthropic
 *
 * Same servers as `npm run bench` (build first): the simulated upstream, the proxy, and
 * `switchyard serve` with its YAML config, SQLite store and access log on a pipe. Throughput is
 * gateway/proxy req/s; CPU is proxy/gateway µs per request (above 1.0: the gateway is cheaper).
 */
import { parseArgs } from 'node:util';
import { benchRequest } from './bench-request.mjs';
import { runClosed } from './load.mjs';
import { cpuTimeMs, startServers, stopServers } from './processes.mjs';
import { median } from './report.mjs';

const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'stream' },
    connections: { type: 'string', default: '256' },
    rounds: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '2' },
    format: { type: 'string', default: 'openai' },
  },
});
if (!['json', 'stream'].includes(args.scenario)) throw new Error('--scenario must be json or stream');
if (!['openai', 'anthropic'].includes(args.format)) throw new Error('--format must be openai or anthropic');
const connections = Number(args.connections);
const rounds = Number(args.rounds);
const seconds = Number(args.seconds);
const request = benchRequest(args.format);
const body = request.body(args.scenario === 'stream');

const servers = await startServers({ format: args.format });
try {
  const hops = [servers.proxy, servers.gateway];
  for (const h of hops) await runClosed({ url: h.url, path: request.path, body, connections, seconds: 2 });
  const rps = [];
  const cpu = [];
  for (let round = 0; round < rounds; round++) {
    const r = {};
    for (const h of round % 2 ? [...hops].reverse() : hops) {
      const cpu0 = cpuTimeMs(h.pid);
      const out = await runClosed({ url: h.url, path: request.path, body, connections, seconds });
      if (out.errors > 0) throw new Error(`${h.name}: ${out.errors} failed requests in round ${round + 1}`);
      r[h.name] = { rps: out.rps, cpuUs: ((cpuTimeMs(h.pid) - cpu0) * 1000) / Math.max(1, out.requests) };
    }
    rps.push(r.gateway.rps / r.proxy.rps);
    cpu.push(r.proxy.cpuUs / r.gateway.cpuUs);
  }
  const geomean = (xs) => Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
  const line = (name, xs) =>
    `${name}: ${xs.map((x) => x.toFixed(2)).join(' ')} | median ${median(xs).toFixed(3)}, geometric mean ${geomean(xs).toFixed(3)}, rounds at or above 1.0: ${xs.filter((x) => x >= 1).length}/${xs.length}\n`;
  process.stdout.write(`${args.format} ${args.scenario}, ${connections} connections, ${rounds} paired rounds of ${seconds} s\n`);
  process.stdout.write(line('throughput gateway/proxy', rps));
  process.stdout.write(line('CPU per request proxy/gateway', cpu));
} finally {
  await stopServers(servers);
}
