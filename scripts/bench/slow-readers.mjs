#!/usr/bin/env node
/**
 * What clients that never read cost the gateway (issue #24 item 5). The gateway (the built
 * dist/, in a process of its own so its memory is its own) stands in front of an upstream that
 * streams as fast as it is read and for a long time; 40 clients open streamed requests on raw
 * sockets and never read them. The gateway's RSS and heap are sampled idle (after a warm-up of
 * streams read to the end), with the 40 clients blocked, and after the write timeout has cut them;
 * the report is the growth per client and whether memory came back within 10% of idle.
 *
 *   npm run build && node scripts/bench/slow-readers.mjs [--clients 40] [--write-timeout 10000] [--delta-chars 400] [--dist DIR]
 *
 * --delta-chars is the text per frame: 400 (the default, as first measured) is text-heavy; a real
 * token is about 4 characters, and a long answer's transcript holds its text.
 *
 * Bounded: the upstream streams at most 90 s per request, the whole run takes about the write
 * timeout plus 15 s, and every socket and process is closed at the end.
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { clients: { type: 'string', default: '40' }, 'write-timeout': { type: 'string', default: '10000' }, 'delta-chars': { type: 'string', default: '400' }, dist: { type: 'string', default: new URL('../../dist/', import.meta.url).pathname } },
});

/** The child: a gateway from `dist` with one provider at the upstream, reporting its memory on request. */
async function gatewayChild(upstream, writeTimeoutMs) {
  const dist = resolve(args.dist);
  const { createGateway } = await import(`${dist}/gateway/gateway.js`);
  const { parseConfigText } = await import(`${dist}/config/parse-config.js`);
  const { createLogger } = await import(`${dist}/http/logger.js`);
  // A build from before the write timeout refuses the key: it then runs without it (the "before" figures).
  const server = `server: { host: 127.0.0.1, port: 0, write_timeout_ms: ${writeTimeoutMs} }\n`;
  const rest = `providers:\n  - { name: firehose, type: openai, base_url: "${upstream}/v1", api_key: sk-bench-FAKE }\nmodels:\n  - name: bench\n    targets:\n      - { provider: firehose, model: fast }\n`;
  let config;
  try {
    config = parseConfigText(server + rest, 'bench', process.env);
  } catch {
    config = parseConfigText('server: { host: 127.0.0.1, port: 0 }\n' + rest, 'bench', process.env);
  }
  const gw = await createGateway(config, { logger: createLogger('warn') });
  const url = await gw.listen();
  process.on('message', (m) => {
    if (m === 'stop') return void gw.close().finally(() => process.exit(0));
    if (m === 'sample') {
      // Twice: what one collection frees (closed sockets' buffers) may need a second to go.
      globalThis.gc?.();
      globalThis.gc?.();
      setTimeout(() => {
        const u = process.memoryUsage();
        process.send({ sample: { rssMb: u.rss / 1048576, heapMb: u.heapUsed / 1048576, externalMb: (u.external + u.arrayBuffers) / 1048576 } });
      });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ url });
}

async function main() {
  const clients = Number(args.clients);
  const writeTimeoutMs = Number(args['write-timeout']);
  const upstream = await startFirehose(Number(args['delta-chars']));
  const child = fork(new URL(import.meta.url).pathname, ['gateway', upstream.url, String(writeTimeoutMs), '--dist', args.dist], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { url } = await new Promise((ok, fail) => {
    const t = setTimeout(() => fail(new Error('the gateway did not start within 15 s')), 15_000);
    child.once('message', (m) => (clearTimeout(t), ok(m)));
  });
  const sample = () =>
    new Promise((ok) => {
      child.once('message', (m) => ok({ ...m.sample, peakRssMb: peakRss(child.pid) }));
      child.send('sample');
    });
  const sockets = [];
  try {
    // Warm-up: streams read to their end, so idle is the gateway after real work, not a cold start.
    for (let i = 0; i < 3; i++) await Promise.all(Array.from({ length: clients }, () => readWhole(url, 'short')));
    await sleep(500);
    const idle = await sample();
    const t0 = Date.now();
    for (let i = 0; i < clients; i++) sockets.push(openNeverReading(url));
    await until(() => upstream.open >= clients, 10_000);
    // Blocked: the upstream has sent nothing more for a second (every stream filled what it may
    // hold). The write timeout runs from each response's last drained write, so from then on.
    await untilQuiet(upstream, 1_000, 30_000);
    const blockedAfterMs = Date.now() - t0;
    const blocked = await sample();
    const openWhileBlocked = upstream.open;
    await sleep(writeTimeoutMs + 3_000);
    const after = await sample();
    const openAfter = upstream.open;
    const perClientKb = ((blocked.rssMb - idle.rssMb) * 1024) / clients;
    const back = after.rssMb <= idle.rssMb * 1.1;
    const row = (label, s) => `| ${label} | ${s.rssMb.toFixed(1)} | ${s.heapMb.toFixed(1)} | ${s.externalMb.toFixed(1)} |`;
    console.log(`Gateway: ${resolve(args.dist)}; ${clients} clients that never read; ${args['delta-chars']} characters of text per frame; write timeout ${writeTimeoutMs} ms; upstream sent ${(upstream.bytes / 1048576).toFixed(0)} MB in all.`);
    console.log('\n| when | RSS MB | heap used MB | external + array buffers MB |\n|---|---|---|---|');
    console.log(row('idle (after warm-up)', idle));
    console.log(row(`${clients} clients blocked`, blocked));
    console.log(row('after the write timeout', after));
    console.log(`\nGrowth per blocked client: ${perClientKb.toFixed(0)} KB of RSS (target <= 256 KB), ${(((blocked.heapMb + blocked.externalMb - idle.heapMb - idle.externalMb) * 1024) / clients).toFixed(0)} KB of heap + buffers.`);
    console.log(`All blocked ${(blockedAfterMs / 1000).toFixed(1)} s after they connected. Upstream streams open: ${openWhileBlocked} while blocked, ${openAfter} after the write timeout.`);
    console.log(`After the write timeout: ${after.rssMb.toFixed(1)} MB, ${(((after.rssMb - idle.rssMb) / idle.rssMb) * 100).toFixed(1)}% from idle: ${back ? 'back within 10%' : 'NOT back within 10%'}. Peak RSS ${after.peakRssMb.toFixed(1)} MB.`);
  } finally {
    for (const s of sockets) s.destroy();
    child.send('stop');
    await new Promise((r) => child.once('exit', r));
    upstream.close();
  }
}

/** An OpenAI-style upstream: model `short` streams 256 KB then ends; any other streams as fast as it is read, for at most 90 s. */
function startFirehose(deltaChars) {
  const frame = (content) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'fast', choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }] })}\n\n`;
  const burst = Buffer.from(frame('x'.repeat(deltaChars)).repeat(Math.ceil(22_520 / (deltaChars + 163))));
  const end = `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'fast', choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`;
  const state = { url: '', open: 0, bytes: 0, close: () => {} };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      // The prompt says which: the gateway sends its own model id.
      const short = body.includes('"short"');
      state.open++;
      res.on('close', () => state.open--);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(frame('Hi'));
      const until = Date.now() + 90_000;
      let left = short ? 256 * 1024 : Infinity;
      const more = () => {
        while (!res.destroyed && left > 0 && Date.now() < until) {
          left -= burst.length;
          state.bytes += burst.length;
          if (!res.write(burst)) return void res.once('drain', more);
        }
        if (!res.destroyed) res.end(end);
      };
      more();
    });
  });
  return new Promise((ok) =>
    server.listen(0, '127.0.0.1', () => {
      state.url = `http://127.0.0.1:${server.address().port}`;
      state.close = () => (server.closeAllConnections(), server.close());
      ok(state);
    }),
  );
}

function requestBytes(model) {
  const body = JSON.stringify({ model: 'bench', stream: true, messages: [{ role: 'user', content: model }] });
  return `POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** A streamed request on a raw socket that is never read (paused before the first byte arrives). */
function openNeverReading(url) {
  const { hostname, port } = new URL(url);
  const s = connect(Number(port), hostname, () => s.write(requestBytes('long')));
  s.pause();
  s.on('error', () => {});
  return s;
}

/** A short stream read to its end. */
function readWhole(url) {
  const { hostname, port } = new URL(url);
  return new Promise((ok, fail) => {
    const s = connect(Number(port), hostname, () => s.write(requestBytes('short').replace('Host: gw', 'Host: gw\r\nConnection: close')));
    s.on('data', () => {});
    s.on('close', ok);
    s.on('error', fail);
    s.setTimeout(30_000, () => s.destroy(new Error('a warm-up stream took over 30 s')));
  });
}

function peakRss(pid) {
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Until the upstream has sent nothing for `quietMs` (at most `ms`). */
async function untilQuiet(upstream, quietMs, ms) {
  const end = Date.now() + ms;
  let last = -1;
  let since = Date.now();
  while (Date.now() < end) {
    if (upstream.bytes !== last) {
      last = upstream.bytes;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    await sleep(100);
  }
}

async function until(ok, ms) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await sleep(50);
  }
}

if (positionals[0] === 'gateway') await gatewayChild(positionals[1], positionals[2]);
else await main();
