/**
 * Spawns and stops the three benchmark servers (upstream sim, pass-through proxy, gateway),
 * each in its own `node` process, and reads their peak RSS from /proc.
 */
import { fork } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';

const CHILD = new URL('./server-child.mjs', import.meta.url);

/**
 * Start one server; resolves to { name, pid, url, child } once it listens.
 * `stdout` is a file path for the server's stdout (logs), or undefined for /dev/null.
 */
export function startServer(name, kind, args = [], { stdout, execArgv = [] } = {}) {
  const out = stdout ? openSync(stdout, 'w') : 'ignore';
  const child = fork(CHILD, [kind, ...args], { stdio: ['ignore', out, 'inherit', 'ipc'], execArgv });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start within 15 s`)), 15_000);
    function fail(err) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    }
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`${name} exited during start (code ${code})`)));
    child.once('message', (m) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({ name, pid: m.pid, url: m.url, child });
    });
  });
}

/** Start upstream (an OpenAI or Anthropic simulator, by `format`), then proxy and gateway pointing at it. */
export async function startServers({ gatewayLog, gatewayExecArgv = [], format = 'openai' } = {}) {
  const upstream = await startServer('upstream', 'upstream', [format]);
  const [proxy, gateway] = await Promise.all([
    startServer('proxy', 'proxy', [upstream.url]),
    startServer('gateway', 'gateway', [upstream.url, format], { stdout: gatewayLog, execArgv: gatewayExecArgv }),
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
