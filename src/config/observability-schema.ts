/**
 * How a gateway is watched and stopped (issue #27 items 4-6):
 *
 * ```yaml
 * metrics:
 *   enabled: true                  # GET /metrics (default on)
 *   require_admin_key: false       # true: Authorization: Bearer <guard.admin_key> to scrape
 * telemetry:
 *   otlp_endpoint: http://otel-collector:4318   # OTLP/HTTP; or OTEL_EXPORTER_OTLP_ENDPOINT; absent = no tracing
 *   service_name: switchyard                    # or OTEL_SERVICE_NAME
 *   metrics_interval_ms: 60000                  # metrics to <endpoint>/v1/metrics this often; 0 = off; or OTEL_METRIC_EXPORT_INTERVAL
 * server:
 *   drain:
 *     readyz_grace_ms: 2000        # after SIGTERM, /readyz answers 503 this long before the listener closes
 *     deadline_ms: 10000           # then streams in flight have this long to finish
 * ```
 */
import { z } from 'zod';

export const METRICS_KEYS = ['enabled', 'require_admin_key'] as const;
export const TELEMETRY_KEYS = ['otlp_endpoint', 'service_name', 'metrics_interval_ms'] as const;
export const DRAIN_KEYS = ['readyz_grace_ms', 'deadline_ms'] as const;

export interface MetricsConfig {
  enabled: boolean;
  requireAdminKey: boolean;
}

export interface TelemetryConfig {
  /** OTLP/HTTP base URL (spans go to `${otlpEndpoint}/v1/traces`, metrics to `/v1/metrics`). */
  otlpEndpoint: string;
  serviceName: string;
  /** How often the metrics are exported; 0: not at all (spans only). */
  metricsIntervalMs: number;
}

export interface DrainConfig {
  readyzGraceMs: number;
  deadlineMs: number;
}

export const DEFAULT_METRICS: MetricsConfig = { enabled: true, requireAdminKey: false };
/**
 * Kubernetes marks a pod not ready after `failureThreshold` failed probes of `periodSeconds`
 * (defaults 3 x 10 s), but it also removes a terminating pod from its Endpoints at once: a short
 * grace covers load balancers that only read /readyz, without slowing every rolling restart.
 */
export const DEFAULT_DRAIN: DrainConfig = { readyzGraceMs: 2_000, deadlineMs: 10_000 };
export const DEFAULT_SERVICE_NAME = 'switchyard';
/** The OpenTelemetry SDK's default export interval (OTEL_METRIC_EXPORT_INTERVAL). */
export const DEFAULT_METRICS_INTERVAL_MS = 60_000;
const MAX_METRICS_INTERVAL_MS = 3_600_000;

const ms = (what: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: `expected ${what}` })
      .int({ error: `expected ${what}` })
      .min(0, { error: `out of range; expected ${what}` })
      .max(3_600_000, { error: `out of range; expected ${what}` }),
  );

export const metricsSchema = z.strictObject(
  {
    enabled: z.boolean({ error: 'expected true or false (serve GET /metrics)' }).optional(),
    require_admin_key: z.boolean({ error: 'expected true or false (scraping needs the admin key)' }).optional(),
  },
  { error: 'expected a mapping like { enabled: true, require_admin_key: false }' },
);

export const telemetrySchema = z.strictObject(
  {
    otlp_endpoint: z
      .string({ error: 'expected an http(s) URL like http://otel-collector:4318' })
      .check((ctx) => {
        if (!/^https?:\/\/[^/\s]+/.test(ctx.value.trim())) ctx.issues.push({ code: 'custom', input: '(not shown)', message: 'expected an http(s) URL like http://otel-collector:4318' });
      })
      .optional(),
    service_name: z.string({ error: 'expected a service name like switchyard' }).min(1, { error: 'must not be empty' }).optional(),
    metrics_interval_ms: ms('a whole number of milliseconds from 0 (no metric export) to 3600000').optional(),
  },
  { error: 'expected a mapping like { otlp_endpoint: http://otel-collector:4318 }' },
);

export const drainSchema = z.strictObject(
  {
    readyz_grace_ms: ms('a whole number of milliseconds from 0 to 3600000').optional(),
    deadline_ms: ms('a whole number of milliseconds from 0 to 3600000').optional(),
  },
  { error: 'expected a mapping like { readyz_grace_ms: 2000, deadline_ms: 10000 }' },
);

export function resolveMetrics(raw: z.infer<typeof metricsSchema> | undefined): MetricsConfig {
  return { enabled: raw?.enabled ?? DEFAULT_METRICS.enabled, requireAdminKey: raw?.require_admin_key ?? DEFAULT_METRICS.requireAdminKey };
}

/** The config's endpoint, else the standard OpenTelemetry variables; none = telemetry off. */
export function resolveTelemetry(raw: z.infer<typeof telemetrySchema> | undefined, env: NodeJS.ProcessEnv, notes: string[] = []): TelemetryConfig | undefined {
  const endpoint = raw?.otlp_endpoint?.trim() ?? env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!endpoint) return undefined;
  return {
    otlpEndpoint: endpoint.replace(/\/+$/, ''),
    serviceName: raw?.service_name ?? env.OTEL_SERVICE_NAME ?? DEFAULT_SERVICE_NAME,
    metricsIntervalMs: raw?.metrics_interval_ms ?? envInterval(env.OTEL_METRIC_EXPORT_INTERVAL, notes),
  };
}

/** An unusable OTEL_METRIC_EXPORT_INTERVAL falls back to the default, as the OTel SDKs do, with a note at start. */
function envInterval(v: string | undefined, notes: string[]): number {
  if (v === undefined || v.trim() === '') return DEFAULT_METRICS_INTERVAL_MS;
  const n = /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  if (n <= MAX_METRICS_INTERVAL_MS) return n;
  notes.push(`OTEL_METRIC_EXPORT_INTERVAL=${JSON.stringify(v)} is not a whole number of milliseconds from 0 to ${MAX_METRICS_INTERVAL_MS}: metrics are exported every ${DEFAULT_METRICS_INTERVAL_MS} ms`);
  return DEFAULT_METRICS_INTERVAL_MS;
}

export function resolveDrain(raw: z.infer<typeof drainSchema> | undefined): DrainConfig {
  return { readyzGraceMs: raw?.readyz_grace_ms ?? DEFAULT_DRAIN.readyzGraceMs, deadlineMs: raw?.deadline_ms ?? DEFAULT_DRAIN.deadlineMs };
}
