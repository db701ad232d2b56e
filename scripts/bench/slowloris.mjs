#!/usr/bin/env node
/**
 * Slowloris (issue #25): do 500 connections that trickle their request (a header byte a second, or
 * a body byte a second after complete headers) delay healthy clients? The gateway (the built dist/,
 * its own process) runs in front of one instant simulated provider; an open-loop client sends JSON
 * requests at `--rate`, alternately without and with the 500 slow connections held open, and the
 * healthy clients' p99 latency is compared (median over `--rounds` pairs).
 *
 *   npm run build && node scripts/bench/slowloris.mjs [--connections 500] [--rate 300] [--seconds 4] [--rounds 3]
 */
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { runOpen } from './load.mjs';
import { memoryMb, startServer, stopServer } from './processes.mjs';
import { benchRequest } from './bench-request.mjs';
import { median } from './report.mjs';

const { values: args } = parseArgs({
  options: {
    connections: { type: 'string', default: '500' },
    rate: { type: 'string', default: '300' },
    seconds: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
  },
});
const N = Number(args.connections);
const rate = Number(args.rate);
const seconds = Number(args.seconds);
const rounds = Number(args.rounds);

const upstream = await startServer('upstream', 'upstream', ['openai']);
const gateway = await startServer('gateway', 'gateway', [upstream.url, 'openai']);
const { port } = new URL(gateway.url);
const request = benchRequest('openai');
const body = request.body(false);

/** N sockets, half trickling their headers and half their body, a byte a second each, until stopped. */
function slowClients() {
  const sockets = [];
  for (let i = 0; i < N; i++) {
    const s = connect(Number(port), '127.0.0.1');
    s.on('error', () => {});
    const inBody = i % 2 === 1;
    s.write(`POST ${request.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n` + (inBody ? `content-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n` : ''));
    sockets.push(s);
  }
  const tick = setInterval(() => {
    for (const [i, s] of sockets.entries()) if (!s.destroyed) s.write(i % 2 === 1 ? '{' : 'x');
  }, 1000);
  return {
    open: () => sockets.filter((s) => !s.destroyed).length,
    stop() {
      clearInterval(tick);
      for (const s of sockets) s.destroy();
    },
  };
}

try {
  const load = () => runOpen({ url: gateway.url, path: request.path, body, rate, seconds, warmupSeconds: 0.5 });
  const pairs = [];
  for (let r = 0; r < rounds; r++) {
    const calm = await load();
    const slow = slowClients();
    await new Promise((res) => setTimeout(res, 1000)); // all connected and trickling
    const held = await load();
    const stillOpen = slow.open();
    slow.stop();
    pairs.push({ calm, held, stillOpen });
    console.log(
      `round ${r + 1}: p99 ${held.latency.p99.toFixed(2)} ms with ${stillOpen} slow connections open, ${calm.latency.p99.toFixed(2)} ms without ` +
        `(p50 ${held.latency.p50.toFixed(2)} / ${calm.latency.p50.toFixed(2)}; ok ${held.ok}/${held.planned} and ${calm.ok}/${calm.planned})`,
    );
  }
  const added = median(pairs.map((p) => p.held.latency.p99 - p.calm.latency.p99));
  const failed = pairs.reduce((n, p) => n + (p.held.planned - p.held.ok), 0);
  console.log(`\nmedian added p99: ${added.toFixed(2)} ms; healthy requests that failed: ${failed}; gateway peak RSS ${memoryMb(gateway.pid).peakRssMb.toFixed(0)} MB`);
  const ok = added <= 10 && failed === 0;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${N} slowloris connections add ${added.toFixed(2)} ms p99 (limit 10 ms)`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await Promise.all([stopServer(gateway), stopServer(upstream)]);
}
