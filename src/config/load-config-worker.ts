/**
 * Worker entry of loadConfigIsolated: loads the configuration and posts it back
 * (or the ConfigError's parts). The YAML parser and the schemas live and die
 * with this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError } from './config-error.js';
import { loadConfig, type LoadConfigOptions } from './load-config.js';

try {
  parentPort!.postMessage({ ok: true, config: loadConfig(workerData as LoadConfigOptions) });
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  parentPort!.postMessage({ ok: false, source: e.source, issues: e.issues });
}
