/**
 * loadConfig in a short-lived worker thread, for a gateway that serves for
 * days: the YAML parser, the schemas and the validation library (about 10 MB
 * of memory, and a larger live heap that every full GC walks and sizes the
 * next one by) go away with the thread once the plain config is back. Same
 * result and same ConfigError as loadConfig.
 */
import { Worker } from 'node:worker_threads';
import { ConfigError, type ConfigIssue } from './config-error.js';
import type { LoadConfigOptions } from './load-config.js';
import type { GatewayConfig } from './types.js';

/** The worker's entry beside this module: .js when built, .ts when run from source (the tests, under tsx). */
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(`./load-config-worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);

/** From source, the worker registers tsx's loader before importing its entry (a worker does not inherit it). */
function startWorker(workerData: unknown): Worker {
  if (!FROM_SOURCE) return new Worker(ENTRY, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((t) => t.register()).then(() => import(${JSON.stringify(ENTRY.href)}))`;
  return new Worker(code, { eval: true, workerData });
}

type Reply = { ok: true; config: GatewayConfig } | { ok: false; source: string; issues: ConfigIssue[] };

export function loadConfigIsolated(opts: LoadConfigOptions): Promise<GatewayConfig> {
  return new Promise((resolve, reject) => {
    // A plain copy of the environment: process.env itself cannot be cloned into a worker.
    const worker = startWorker({ ...opts, env: { ...(opts.env ?? process.env) } });
    let replied = false;
    worker.once('message', (r: Reply) => {
      replied = true;
      if (r.ok) resolve(r.config);
      else reject(new ConfigError(r.source, r.issues));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!replied) reject(new Error(`configuration loader stopped unexpectedly (exit code ${code})`));
    });
  });
}
