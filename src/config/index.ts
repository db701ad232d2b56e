export { loadConfig, DEFAULT_CONFIG_FILE, type LoadConfigOptions } from './load-config.js';
export { ConfigError, type ConfigIssue } from './config-error.js';
export { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES } from './parse-config.js';
export type { GatewayConfig, ModelRoute, ServerConfig, TargetConfig } from './types.js';
