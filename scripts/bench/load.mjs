/**
 * Load drivers, each run as a separate process so load generation never shares an event
 * loop with a server under test.
 *   closed loop: a fixed number of connections, each sending its next request as soon as the
 *     last answer ended — wrk (C, one thread) when installed, else autocannon's CLI.
 *   open loop: a fixed arrival rate — our own driver (open-loop-driver.mjs); autocannon's
 *     overallRate is still per-connection request/response, so slow answers would delay
 *     arrivals (coordinated omission), and it measures no time to first byte.
 * All results are in ms and req/s.
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WRK_LUA = fileURLToPath(new URL('./wrk-post.lua', import.meta.url));
const DRIVER = new URL('./open-loop-driver.mjs', import.meta.url);
const AUTOCANNON = fileURLToPath(new URL('../../node_modules/autocannon/autocannon.js', import.meta.url));

let wrkPath;
/** Absolute path of wrk, or '' when it is not installed. */
export function findWrk() {
  if (wrkPath === undefined) {
    try {
      wrkPath = execFileSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).trim();
    } catch {
      wrkPath = '';
    }
  }
  return wrkPath;
}

/** Run a command, collect stdout, kill it if it overruns `timeoutMs`. */
function run(cmd, args, { env, timeoutMs }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} exited with ${code}: ${err.slice(0, 500)}`));
    });
  });
}

/**
 * Closed loop: `connections` connections for `seconds`, after an unmeasured `warmupSeconds` run.
 * Returns { tool, rps, requests, non2xx, socketErrors, errors, latency: { p50, p90, p99, max } }:
 * rps and requests count 2xx answers only; latency percentiles are over every answer (wrk's).
 */
export async function runClosed({ url, path, body, connections, seconds, warmupSeconds = 0, authorization = 'Bearer sk-bench-FAKE' }) {
  const once = (s) => (findWrk() ? wrkOnce(url + path, body, connections, s, authorization) : autocannonOnce(url + path, body, connections, s, authorization));
  if (warmupSeconds > 0) await once(warmupSeconds);
  return once(seconds);
}

async function wrkOnce(target, body, connections, seconds, authorization) {
  // One thread: on a 2-core box the load generator should take as little CPU as it can.
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', WRK_LUA, target];
  const out = await run(findWrk(), args, { env: { BENCH_BODY: body, BENCH_AUTHORIZATION: authorization }, timeoutMs: (seconds + 15) * 1000 });
  const line = out.split('\n').find((l) => l.startsWith('BENCH_JSON '));
  if (!line) throw new Error(`wrk printed no summary:\n${out}`);
  const r = JSON.parse(line.slice('BENCH_JSON '.length));
  const us = (v) => v / 1000;
  // Throughput counts answered requests only: a gateway shedding load with fast 503s must not look fast.
  return {
    tool: 'wrk',
    rps: ((r.requests - r.status) / r.durationUs) * 1e6,
    requests: r.requests - r.status,
    non2xx: r.status,
    socketErrors: r.connect + r.read + r.write + r.timeout,
    errors: r.connect + r.read + r.write + r.status + r.timeout,
    latency: { p50: us(r.p50), p90: us(r.p90), p99: us(r.p99), max: us(r.max) },
  };
}

async function autocannonOnce(target, body, connections, seconds, authorization) {
  const args = [AUTOCANNON, '--json', '-c', String(connections), '-d', String(seconds), '-m', 'POST', '-H', 'content-type=application/json', '-H', `authorization=${authorization}`, '-b', body, target];
  const r = JSON.parse(await run(process.execPath, args, { timeoutMs: (seconds + 15) * 1000 }));
  return {
    tool: 'autocannon',
    rps: (r.requests.total - r.non2xx) / r.duration,
    requests: r.requests.total - r.non2xx,
    non2xx: r.non2xx,
    socketErrors: r.errors + r.timeouts,
    errors: r.errors + r.timeouts + r.non2xx,
    latency: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
  };
}

/**
 * Open loop: `rate` req/s for `seconds` after `warmupSeconds` (sent, not measured).
 * Returns the driver's report: { ok, errors, badStatus, incomplete, skipped, aborted,
 * achievedRate, latency: { p50, p90, p99, max }, ttfb: { p50, p99 }, sendLag: { p50, p99 } }.
 */
export function runOpen({ url, path, body, rate, seconds, warmupSeconds = 0, stream, streamEnd, classes, connections = 128 }) {
  const input = { url, path, body, rate, stream, streamEnd, classes, warmupMs: warmupSeconds * 1000, durationMs: seconds * 1000, drainMs: 5000, maxInflight: 4096, connections };
  return new Promise((resolve, reject) => {
    const child = fork(DRIVER, [JSON.stringify(input)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result;
    // The driver bounds itself; this is the backstop if it wedges.
    const timer = setTimeout(() => child.kill('SIGKILL'), (warmupSeconds + seconds + 20) * 1000);
    child.on('message', (m) => (result = m));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (result) resolve(result);
      else reject(new Error(`open-loop driver exited with ${code} and no result`));
    });
  });
}
