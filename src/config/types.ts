/**
 * The resolved gateway configuration: validated, env-interpolated, defaults applied.
 * Built once at start by loadConfig (load-config.ts); everything after start reads only this.
 */
import type { ProviderConfig } from '../providers/types.js';
import type { StatusStoreConfig } from './status-store-schema.js';
import type { RoutePolicy } from '../routing/policy.js';
import type { AlertTarget } from '../alerts/types.js';
import type { VendorFeedConfig } from '../health/feeds/types.js';
import type { GuardSettings } from '../guard/settings.js';
import type { ServerHardening } from './server-hardening-schema.js';
import type { DrainConfig, MetricsConfig, TelemetryConfig } from './observability-schema.js';
import type { JournalConfig } from '../journal/journal-config.js';
import type { StorageConfig } from './storage-schema.js';

export interface TargetConfig {
  /** Name of a configured provider. */
  provider: string;
  /** The model id sent upstream. */
  model: string;
  /** Share of traffic under the weighted strategy (default 1). */
  weight?: number;
}

export interface ModelRoute {
  /** What clients send as "model". */
  name: string;
  /** In order of preference. Never empty. */
  targets: TargetConfig[];
  /** Resilience settings for this alias (`routing:` defaults merged with the model's own). */
  policy?: RoutePolicy;
}

export interface ServerConfig {
  host: string;
  /** 0 = any free port (tests). */
  port: number;
  maxBodyBytes: number;
  /** Public base URL for links in errors (status page), without a trailing slash. */
  publicUrl?: string;
  /** Timeouts, caps and CORS (issue #25 item 6); set by the config file's parser, absent = DEFAULT_SERVER_HARDENING. */
  hardening?: ServerHardening;
  /** Serve the playground page at /playground (`server.playground`; off unless asked). */
  playground?: boolean;
  /** What SIGTERM does (`server.drain`); absent = DEFAULT_DRAIN. */
  drain?: DrainConfig;
}

export interface GatewayConfig {
  server: ServerConfig;
  providers: ProviderConfig[];
  models: ModelRoute[];
  /** Where it came from: a file path or 'environment'. */
  source: string;
  /** Human notes, e.g. what env auto-config found. Never contain secrets. */
  notes: string[];
  /** Alert targets (`alerts:`); absent when none are configured. */
  alerts?: AlertTarget[];
  /** Vendor status feeds to poll (`status.vendor_feeds`); absent = polling off. */
  vendorFeeds?: VendorFeedConfig[];
  /** Health storage and probes (`status.data_dir`, `retention_days`, `probes`); absent = defaults. */
  status?: StatusStoreConfig;
  /**
   * `auth:` and `guard:` (keys, limits, shedding); set by the config file's parser. Absent (a
   * config from the environment) = guardSettingsFor()'s defaults.
   */
  guard?: GuardSettings;
  /** Conversation journal (`journal:`); absent = not configured, nothing is kept. */
  journal?: JournalConfig;
  /** Shared state (`storage:`, issue #27); absent = this instance's memory. */
  storage?: StorageConfig;
  /** GET /metrics (`metrics:`); absent = DEFAULT_METRICS (on, no admin key). */
  metrics?: MetricsConfig;
  /** OpenTelemetry trace export (`telemetry:` or OTEL_EXPORTER_OTLP_ENDPOINT); absent = off. */
  telemetry?: TelemetryConfig;
}
