/** `switchyard serve`: load the configuration, listen, stop gracefully on SIGINT/SIGTERM; `--workers N` runs N such processes (serve-workers.ts). */
import { loadConfigIsolated } from '../config/load-config-isolated.js';
import cluster from 'node:cluster';
import { resolve } from 'node:path';
import { createGateway } from '../gateway/gateway.js';
import { DEFAULT_DATA_DIR } from '../gateway/health.js';
import { parseCommandArgs } from './args.js';
import { tuneHeapGrowth } from './heap-tuning.js';
import { parsePort, UsageError, type CliIo } from './io.js';
import { listenOrExplain, runUntilStopped } from './lifecycle.js';
import { MAX_WORKERS, runPrimary, workerIo, workersVerdict } from './serve-workers.js';

export const SERVE_OPTIONS = {
  config: { type: 'string', short: 'c' },
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  workers: { type: 'string', short: 'w' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runServe(args: string[], io: CliIo): Promise<number> {
  const values = parseCommandArgs('serve', args, SERVE_OPTIONS);
  const workers = parseWorkers(values.workers);
  if (cluster.isWorker) io = workerIo(io);
  // Off the main thread: the parser and schemas are not kept for the gateway's whole life.
  const config = await loadConfigIsolated({ path: values.config, env: io.env, cwd: io.cwd, port: parsePort(values.port, 'serve'), host: values.host });
  for (const note of config.notes) io.stderr.write(`note: ${note}\n`);
  if (cluster.isPrimary && workers > 1) {
    const verdict = workersVerdict(config, workers);
    if ('refuse' in verdict) {
      io.stderr.write(`error: ${verdict.refuse}\n`);
      return 1;
    }
    if (verdict.note) io.stderr.write(`note: ${verdict.note}\n`);
    return runPrimary(workers, io);
  }

  tuneHeapGrowth(io.env);
  // Health history persists across restarts: SQLite in status.data_dir, else ./.switchyard-data (relative to the working directory).
  const gw = await createGateway(config, { ...(io.logger ? { logger: io.logger } : {}), health: { dataDir: resolve(io.cwd, DEFAULT_DATA_DIR) } });
  const url = await listenOrExplain(gw, config.server.host, config.server.port, io);
  if (url === undefined) return 1;
  const models = config.models.map((m) => m.name);
  io.stdout.write(
    `Switchyard listening on ${url}  (config: ${config.source})\n` +
      `  OpenAI-compatible base URL:    ${url}/v1\n` +
      `  Anthropic-compatible base URL: ${url}\n` +
      `  models: ${models.length > 0 ? models.join(', ') : '(none configured)'}\n` +
      (config.server.playground ? `  playground: ${url}/playground\n` : ''),
  );
  return runUntilStopped(io, gw);
}

/** `--workers N`: 1 to MAX_WORKERS processes (default 1: this process serves). */
function parseWorkers(value: string | undefined): number {
  if (value === undefined) return 1;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS) throw new UsageError(`invalid --workers "${value}": expected a whole number from 1 to ${MAX_WORKERS}`, 'serve');
  return n;
}
