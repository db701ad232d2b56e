/**
 * The resolved gateway configuration: validated, env-interpolated, defaults applied.
 * Built once at start by loadConfig (load-config.ts); everything after start reads only this.
 */
import type { ProviderConfig } from '../providers/types.js';

export interface TargetConfig {
  /** Name of a configured provider. */
  provider: string;
  /** The model id sent upstream. */
  model: string;
}

export interface ModelRoute {
  /** What clients send as "model". */
  name: string;
  /** In order of preference. Never empty. */
  targets: TargetConfig[];
}

export interface ServerConfig {
  host: string;
  /** 0 = any free port (tests). */
  port: number;
  maxBodyBytes: number;
  /** Public base URL for links in errors (status page), without a trailing slash. */
  publicUrl?: string;
}

export interface GatewayConfig {
  server: ServerConfig;
  providers: ProviderConfig[];
  models: ModelRoute[];
  /** Where it came from: a file path or 'environment'. */
  source: string;
  /** Human notes, e.g. what env auto-config found. Never contain secrets. */
  notes: string[];
}
