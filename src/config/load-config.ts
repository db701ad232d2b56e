/**
 * loadConfig: the one entry point. An explicit path, else ./switchyard.yaml,
 * else auto-configuration from API keys in the environment. Synchronous: it
 * runs once at start, never on the hot path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { autoConfigure } from './auto-config.js';
import { ConfigError } from './config-error.js';
import { parseConfigText } from './parse-config.js';
import { portSchema } from './schema.js';
import type { GatewayConfig } from './types.js';

export const DEFAULT_CONFIG_FILE = 'switchyard.yaml';

export interface LoadConfigOptions {
  /** A config file; when absent, ./switchyard.yaml if it exists, else the environment. */
  path?: string;
  env?: NodeJS.ProcessEnv;
  /** From --port: beats PORT, the file and the default. */
  port?: number;
  /** From --host: beats the file and the default. */
  host?: string;
  /** Where to look for switchyard.yaml (default: process.cwd()). */
  cwd?: string;
}

export function loadConfig(opts: LoadConfigOptions = {}): GatewayConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const envPort = portFrom(env.PORT, 'environment', 'PORT');
  const flagPort = opts.port === undefined ? undefined : portFrom(opts.port, '--port', '');

  let config: GatewayConfig;
  const file = opts.path ?? (existsSync(resolve(cwd, DEFAULT_CONFIG_FILE)) ? DEFAULT_CONFIG_FILE : undefined);
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(cwd, file), 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ConfigError(file, [{ path: '', message: code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(err)})` }]);
    }
    config = parseConfigText(text, file, env);
  } else {
    config = autoConfigure(env);
  }

  // Precedence: --port > PORT > file > default (PaaS hosts set PORT; a flag is the most deliberate choice).
  const port = flagPort ?? envPort;
  if (port !== undefined) config.server.port = port;
  if (opts.host !== undefined && opts.host !== '') config.server.host = opts.host;
  return config;
}

function portFrom(value: unknown, source: string, path: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const r = portSchema.safeParse(value);
  if (r.success) return r.data;
  throw new ConfigError(source, [{ path, message: r.error.issues[0]?.message ?? 'invalid port' }]);
}
