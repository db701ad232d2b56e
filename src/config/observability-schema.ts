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
 * server:
 *   drain:
 *     readyz_grace_ms: 2000        # after SIGTERM, /readyz answers 503 this long before the listener closes
 *     deadline_ms: 10000           # then streams in flight have this long to finish
 * ```
 */
import { z } from 'zod';

export const METRICS_KEYS = ['enabled', 'require_admin_key'] as const;
export const TELEMETRY_KEYS = ['otlp_endpoint', 'service_name'] as const;
export const DRAIN_KEYS = ['readyz_grace_ms', 'deadline_ms'] as const;

export interface MetricsConfig {
  enabled: boolean;
  requireAdminKey: boolean;
}

export interface TelemetryConfig {
  /** OTLP/HTTP base URL (spans go to `${otlpEndpoint}/v1/traces`). */
  otlpEndpoint: string;
  serviceName: string;
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

/** The config's endpoint, else the standard OpenTelemetry variables; none = tracing off. */
export function resolveTelemetry(raw: z.infer<typeof telemetrySchema> | undefined, env: NodeJS.ProcessEnv): TelemetryConfig | undefined {
  const endpoint = raw?.otlp_endpoint?.trim() ?? env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!endpoint) return undefined;
  return { otlpEndpoint: endpoint.replace(/\/+$/, ''), serviceName: raw?.service_name ?? env.OTEL_SERVICE_NAME ?? DEFAULT_SERVICE_NAME };
}

export function resolveDrain(raw: z.infer<typeof drainSchema> | undefined): DrainConfig {
  return { readyzGraceMs: raw?.readyz_grace_ms ?? DEFAULT_DRAIN.readyzGraceMs, deadlineMs: raw?.deadline_ms ?? DEFAULT_DRAIN.deadlineMs };
}
