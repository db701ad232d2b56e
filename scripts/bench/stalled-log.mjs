#!/usr/bin/env node
/**
 * The gateway's memory when nobody reads its log: `switchyard serve` (this checkout's, or the one
 * given) with its stdout a pipe that is read until the banner and then never again, under 256
 * streams for 20 s. Reports the peak RSS and how many access lines got out. Used to judge the log
 * writer (docs/performance.md, "Logging").
 *
 *   node scripts/bench/stalled-log.mjs [other checkout, built] [--seconds 20] [--connections 256]
 */
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchConfigYaml } from './bench-config.mjs';
import { benchRequest } from './bench-request.mjs';
import { runClosed } from './load.mjs';
import { memoryMb, startServer, stopServer } from './processes.mjs';

const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { seconds: { type: 'string', default: '20' }, connections: { type: 'string', default: '256' } } });
const root = positionals[0] ?? new URL('../..', import.meta.url).pathname;

const upstream = await startServer('upstream', 'upstream', ['openai']);
const dir = mkdtempSync(join(tmpdir(), 'switchyard-stalled-log-'));
writeFileSync(join(dir, 'switchyard.yaml'), benchConfigYaml(upstream.url, 'openai'));
const gw = spawn(process.execPath, [join(root, 'bin/switchyard.js'), 'serve', '--config', 'switchyard.yaml'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const url = await new Promise((resolve, reject) => {
    let head = '';
    const onData = (chunk) => {
      head += chunk.toString('utf8');
      const m = /Switchyard listening on (http:\/\/\S+)/.exec(head);
      if (!m) return;
      // From here on nobody reads: the pipe fills and the gateway's log writes are refused.
      gw.stdout.off('data', onData);
      gw.stdout.pause();
      resolve(m[1]);
    };
    gw.stdout.on('data', onData);
    gw.once('exit', (code) => reject(new Error(`gateway exited (${code})`)));
  });
  const request = benchRequest('openai');
  const out = await runClosed({ url, path: request.path, body: request.body(true), connections: Number(args.connections), seconds: Number(args.seconds) });
  const mem = memoryMb(gw.pid);
  process.stdout.write(`${root}: ${out.requests} streams in ${args.seconds} s, ${out.errors} errors; peak RSS ${mem.peakRssMb.toFixed(0)} MB, RSS now ${mem.rssMb.toFixed(0)} MB\n`);
} finally {
  gw.kill('SIGKILL');
  await stopServer(upstream);
  rmSync(dir, { recursive: true, force: true });
}
