/**
 * Spawns and stops the three benchmark servers (upstream sim, pass-through proxy, gateway),
 * each in its own `node` process, and reads their peak RSS from /proc. The gateway runs the way
 * users run it: `switchyard serve` with a YAML config, its SQLite health store and its logs on a pipe.
 */
import { fork, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchConfigYaml } from './bench-config.mjs';

const CHILD = new URL('./server-child.mjs', import.meta.url);
const BIN = new URL('../../bin/switchyard.js', import.meta.url).pathname;
const MEM_TRACE = new URL('./mem-trace.mjs', import.meta.url).href;

/**
 * Start one server; resolves to { name, pid, url, child } once it listens.
 * `stdout` is a file path for the server's stdout (logs), or undefined for /dev/null.
 * `script` is the bench child to run (another checkout's, for an A/B of two builds).
 */
export function startServer(name, kind, args = [], { stdout, execArgv = [], script = CHILD, env = {} } = {}) {
  const out = stdout ? openSync(stdout, 'w') : 'ignore';
  const child = fork(script, [kind, ...args], { stdio: ['ignore', out, 'inherit', 'ipc'], execArgv, env: { ...process.env, ...env, BENCH_MEM_KIND: name } });
  let authorization;
  return untilStarted(child, name, (ready) =>
    child.once('message', (m) => {
      authorization = m.authorization;
      ready(m.url);
    }),
  ).then((s) => (authorization ? { ...s, authorization } : s));
}

/**
 * Resolves to { name, pid, url, child } when `onReady` reports the URL; a child that errors, exits
 * or takes over 15 s first is killed and the start rejected.
 */
export function untilStarted(child, name, onReady) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start within 15 s`)), 15_000);
    const onExit = (code) => fail(new Error(`${name} exited during start (code ${code})`));
    function fail(err) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    }
    child.once('error', fail);
    child.once('exit', onExit);
    onReady((url) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ name, pid: child.pid, url, child });
    });
  });
}

/**
 * `switchyard serve` (bin/switchyard.js) in a scratch directory holding its config and its
 * .switchyard-data; resolves once it prints where it listens. Its stdout (the banner, then one
 * access line per request) is read to the end, into `stdout` (a file path) or nowhere.
 */
export function startGatewayCli(upstreamOrigin, format, { stdout, execArgv = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  writeFileSync(join(dir, 'switchyard.yaml'), benchConfigYaml(upstreamOrigin, format));
  const preload = process.env.BENCH_MEM_TRACE ? ['--import', MEM_TRACE] : [];
  const child = spawn(process.execPath, [...execArgv, ...preload, BIN, 'serve', '--config', 'switchyard.yaml'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_MEM_KIND: 'gateway' },
  });
  const log = stdout ? createWriteStream(stdout) : undefined;
  child.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return untilStarted(child, 'gateway (switchyard serve)', (ready) => {
    let head = '';
    child.stdout.on('data', (chunk) => {
      log?.write(chunk);
      if (head === undefined) return;
      head += chunk.toString('utf8');
      const m = /Switchyard listening on (http:\/\/\S+)/.exec(head);
      if (!m) return;
      head = undefined;
      ready(m[1]);
    });
  }).then((g) => ({ ...g, name: 'gateway' }));
}

/** Start upstream (an OpenAI or Anthropic simulator, by `format`), then proxy and gateway pointing at it. */
export async function startServers({ gatewayLog, gatewayExecArgv = [], format = 'openai' } = {}) {
  const upstream = await startServer('upstream', 'upstream', [format]);
  const [proxy, gateway] = await Promise.all([
    startServer('proxy', 'proxy', [upstream.url]),
    startGatewayCli(upstream.url, format, { stdout: gatewayLog, execArgv: gatewayExecArgv }),
  ]);
  return { upstream, proxy, gateway };
}

/** Ask a server to exit (it closes and calls process.exit); SIGKILL after `graceMs`. */
export function stopServer(s, graceMs = 5000) {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => s.child.kill('SIGKILL'), graceMs);
    s.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    // The bench children stop on a message; `switchyard serve` on SIGTERM, as under an orchestrator.
    if (s.child.connected) s.child.send('stop');
    else s.child.kill('SIGTERM');
  });
}

export async function stopServers(servers) {
  await Promise.all(Object.values(servers).map((s) => stopServer(s)));
}

/** Memory of a live process in MB from /proc/<pid>/status: VmHWM is the peak resident set since start. */
export function memoryMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakRssMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

const TICKS_PER_SECOND = 100; // USER_HZ: fixed at 100 on Linux for /proc/<pid>/stat (proc(5))

/** CPU time (user + system) a live process has used so far, in ms (10 ms resolution). */
export function cpuTimeMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3; utime/stime are fields 14/15.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND;
}
