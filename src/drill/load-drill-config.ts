/**
 * The configuration a drill replays: --config, else ./switchyard.yaml, else the built-in
 * example. A drill never calls a real provider, so API keys need not be set: a file whose
 * only problems are unset environment variables loads with placeholders for them (they reach
 * nothing; the simulators replace every provider and its key).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../config/load-config.js';
import type { GatewayConfig } from '../config/types.js';
import { defaultDrillConfig } from './default-config.js';

const UNSET = /^environment variable (\S+) is not set$/;

export function loadDrillConfig(path: string | undefined, env: NodeJS.ProcessEnv, cwd: string): GatewayConfig {
  if (path === undefined && !existsSync(resolve(cwd, DEFAULT_CONFIG_FILE))) return defaultDrillConfig();
  try {
    return loadConfig({ path, env, cwd });
  } catch (e) {
    if (!(e instanceof ConfigError) || !e.issues.every((i) => UNSET.test(i.message))) throw e;
    const placeholders = Object.fromEntries(e.issues.map((i) => [UNSET.exec(i.message)![1]!, 'drill-placeholder-never-sent']));
    return loadConfig({ path, env: { ...env, ...placeholders }, cwd });
  }
}
