/**
 * `switchyard serve --workers N` (issue #27 item 3): N gateway processes on one port (node:cluster;
 * the primary accepts connections and hands them to the workers in turn). The primary runs no
 * gateway: it starts the workers, starts a crashed one again (at most MAX_RESTARTS in
 * RESTART_WINDOW_MS, then it stops them all and exits 1: a worker that dies at once would
 * otherwise spin), and forwards SIGTERM/SIGINT so each worker stops gracefully (a second signal
 * stops them at once).
 *
 * Workers share state only through `storage: { state: redis }`. Without it every worker would
 * keep its own counters — a key limited to 100 requests a minute could make N × 100 (LiteLLM
 * #27736, #16011) — so more than one worker is refused unless the configuration says
 * `storage: { state: memory }` on purpose, and then a note says what became per process.
 */
import cluster, { type Worker } from 'node:cluster';
import type { GatewayConfig } from '../config/types.js';
import type { CliIo } from './io.js';

export const MAX_WORKERS = 64;
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

/** Why N workers may not run on this configuration, or a note to print when they may. */
export function workersVerdict(config: Pick<GatewayConfig, 'storage'>, workers: number): { refuse: string } | { note?: string } {
  if (workers <= 1 || config.storage?.state === 'redis') return {};
  const perProcess =
    'key and team limits (requests and tokens per minute, concurrent requests, budgets), parked credentials and Retry-After waits, breakers, the retry budget and active probes';
  if (config.storage?.state === 'memory') {
    return { note: `storage.state is memory: each of the ${workers} workers keeps its own ${perProcess}; a key limited to 100 requests a minute can make up to ${workers * 100}` };
  }
  return {
    refuse:
      `--workers ${workers} needs shared state: without it each worker process would keep its own ${perProcess}, ` +
      `so a key limited to 100 requests a minute could make ${workers * 100}. ` +
      'Configure storage: { state: redis, redis_url: ${REDIS_URL} } (docs/scale-out.md), or write storage: { state: memory } to accept limits per process.',
  };
}

/** In a worker: stop on SIGTERM from the primary only (a terminal's Ctrl-C reaches every process of the group; the primary forwards it once). */
export function workerIo(io: CliIo): CliIo {
  process.on('SIGINT', () => {});
  return { ...io, onStop: (listener) => void process.on('SIGTERM', () => listener('SIGTERM')) };
}

/** In the primary: run `workers` workers until stopped; 0 when every worker stopped cleanly. */
export function runPrimary(workers: number, io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    const live = new Set<Worker>();
    const restarts: number[] = [];
    let stopping = false;
    let failed = false;

    const start = () => {
      const w = cluster.fork(io.env);
      live.add(w);
      io.stderr.write(`switchyard: worker ${w.id} started (pid ${w.process.pid})\n`);
    };
    const stopAll = (signal: NodeJS.Signals) => {
      for (const w of live) w.process.kill(signal);
    };

    cluster.on('exit', (w, code, signal) => {
      live.delete(w);
      const how = signal ? `killed by ${signal}` : `exit code ${code}`;
      if (stopping) {
        if (code !== 0) failed = true;
        if (live.size === 0) resolve(failed ? 1 : 0);
        return;
      }
      const now = Date.now();
      while (restarts.length > 0 && now - restarts[0]! > RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length >= MAX_RESTARTS) {
        io.stderr.write(`switchyard: worker ${w.id} stopped (${how}); ${MAX_RESTARTS} restarts within ${RESTART_WINDOW_MS / 1000} s already, stopping every worker\n`);
        stopping = true;
        failed = true;
        if (live.size === 0) resolve(1);
        else stopAll('SIGTERM');
        return;
      }
      restarts.push(now);
      io.stderr.write(`switchyard: worker ${w.id} stopped (${how}); starting another\n`);
      start();
    });

    io.onStop((signal) => {
      if (!stopping) io.stderr.write(`\n${signal}: stopping ${live.size} workers (each finishes its open requests)...\n`);
      stopping = true;
      if (live.size === 0) return resolve(failed ? 1 : 0);
      // Each signal is forwarded once as SIGTERM: the first asks every worker to finish, a second to stop now.
      stopAll('SIGTERM');
    });

    for (let i = 0; i < workers; i++) start();
  });
}
