/** `switchyard serve`: load the configuration, listen, stop gracefully on SIGINT/SIGTERM. */
import { loadConfigIsolated } from '../config/load-config-isolated.js';
import { resolve } from 'node:path';
import { createGateway } from '../gateway/gateway.js';
import { DEFAULT_DATA_DIR } from '../gateway/health.js';
import { parseCommandArgs } from './args.js';
import { tuneHeapGrowth } from './heap-tuning.js';
import { parsePort, type CliIo } from './io.js';
import { listenOrExplain, runUntilStopped } from './lifecycle.js';

export const SERVE_OPTIONS = {
  config: { type: 'string', short: 'c' },
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runServe(args: string[], io: CliIo): Promise<number> {
  const values = parseCommandArgs('serve', args, SERVE_OPTIONS);
  // Off the main thread: the parser and schemas are not kept for the gateway's whole life.
  const config = await loadConfigIsolated({ path: values.config, env: io.env, cwd: io.cwd, port: parsePort(values.port, 'serve'), host: values.host });
  for (const note of config.notes) io.stderr.write(`note: ${note}\n`);

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
