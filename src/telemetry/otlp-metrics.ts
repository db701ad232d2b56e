/**
 * Sends a gateway's metrics to an OpenTelemetry collector over OTLP/HTTP JSON (POST
 * {endpoint}/v1/metrics, issue #27 item 5) every interval, read from the same prom-client
 * registry GET /metrics formats: counters as cumulative monotonic sums, gauges as gauges,
 * histograms as cumulative explicit-bucket histograms. The GenAI measures go under the
 * conventions' own names and units (gen_ai.server.time_to_first_token, s), their attributes
 * dotted again. One export in flight at a time: a tick that finds the last one still running is
 * skipped (the values are cumulative, so the next export carries what it would have).
 */
import type { MetricObjectWithValues, MetricValueWithName, Registry } from 'prom-client';
import type { Clock, TimerHandle } from '../core/clock.js';
import { ATTR_OTEL, GEN_AI_OTEL } from '../metrics/gen-ai.js';
import { otlpAttributes, postOtlp, unixNanos } from './otlp-http.js';

export interface OtlpMetricExporterOptions {
  /** The collector's base URL (http://otel-collector:4318). */
  endpoint: string;
  serviceName: string;
  registry: Pick<Registry, 'getMetricsAsJSON'>;
  /** The gateway's clock: its timer drives the exports, its time stamps them. */
  clock: Clock;
  intervalMs: number;
  /** One POST's limit. Default 10 s. */
  timeoutMs?: number;
  /** A failed export (logged by the owner, at most once per failure streak). */
  onError?: (e: unknown) => void;
}

type Family = MetricObjectWithValues<MetricValueWithName<string>>;
type Labels = Family['values'][number]['labels'];

export class OtlpMetricExporter {
  private readonly url: string;
  /** Cumulative series count from here: the registry is as old as the gateway, and so is this. */
  private readonly startNanos: string;
  private timer: TimerHandle | undefined;
  private sending: Promise<void> | undefined = undefined;
  private failing = false;
  exported = 0;
  failed = 0;

  constructor(private readonly opts: OtlpMetricExporterOptions) {
    this.url = `${opts.endpoint}/v1/metrics`;
    this.startNanos = unixNanos(opts.clock.now());
    this.timer = opts.clock.setTimeout(tick, opts.intervalMs, this);
  }

  /** Export now, unless an export is still in flight (then resolves when that one ends). */
  export(): Promise<void> {
    return (this.sending ??= this.send().finally(() => (this.sending = undefined)));
  }

  /** @internal the timer's turn: the next tick is armed first, so a slow export never stops them. */
  tick(): void {
    this.timer = this.opts.clock.setTimeout(tick, this.opts.intervalMs, this);
    if (this.sending === undefined) void this.export();
  }

  /** Stop the timer, let an export in flight end, and send the final values once. */
  async close(): Promise<void> {
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.sending;
    await this.export();
  }

  private async send(): Promise<void> {
    try {
      const families = (await this.opts.registry.getMetricsAsJSON()) as Family[];
      const now = unixNanos(this.opts.clock.now());
      const metrics = families.map((f) => otlpMetric(f, this.startNanos, now)).filter((m) => m !== undefined);
      if (metrics.length === 0) return;
      const body = {
        resourceMetrics: [{ resource: { attributes: otlpAttributes({ 'service.name': this.opts.serviceName }) }, scopeMetrics: [{ scope: { name: 'switchyard' }, metrics }] }],
      };
      await postOtlp(this.url, body, this.opts.timeoutMs ?? 10_000);
      this.exported++;
      this.failing = false;
    } catch (e) {
      this.failed++;
      if (!this.failing) this.opts.onError?.(e);
      this.failing = true;
    }
  }
}

function tick(exporter: OtlpMetricExporter): void {
  exporter.tick();
}

const CUMULATIVE = 2;

/** One registry family as an OTLP Metric; undefined when it has no series yet or is of a type not exported (summary). */
function otlpMetric(f: Family, start: string, now: string): unknown {
  if (f.values.length === 0) return undefined;
  const otel = GEN_AI_OTEL[f.name];
  const head = { name: otel?.name ?? f.name, description: f.help, ...(otel ? { unit: otel.unit } : {}) };
  const type = String(f.type);
  if (type === 'counter') {
    const dataPoints = f.values.map((v) => ({ attributes: attributes(v.labels), startTimeUnixNano: start, timeUnixNano: now, asDouble: v.value }));
    return { ...head, sum: { aggregationTemporality: CUMULATIVE, isMonotonic: true, dataPoints } };
  }
  if (type === 'gauge') return { ...head, gauge: { dataPoints: f.values.map((v) => ({ attributes: attributes(v.labels), timeUnixNano: now, asDouble: v.value })) } };
  if (type === 'histogram') return { ...head, histogram: { aggregationTemporality: CUMULATIVE, dataPoints: histogramPoints(f, start, now) } };
  return undefined;
}

/**
 * prom-client gives each series as `_bucket` values with cumulative counts per `le` (ascending,
 * `+Inf` last), a `_sum` and a `_count`; OTLP wants the finite bounds and a count per bucket.
 */
function histogramPoints(f: Family, start: string, now: string): unknown[] {
  const series = new Map<string, { labels: Labels; bounds: number[]; cumulative: number[]; sum: number; count: number }>();
  for (const v of f.values) {
    const { le, ...labels } = v.labels;
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
    let s = series.get(key);
    if (s === undefined) series.set(key, (s = { labels, bounds: [], cumulative: [], sum: 0, count: 0 }));
    const metricName = v.metricName ?? '';
    if (metricName.endsWith('_bucket')) {
      if (String(le) !== '+Inf') s.bounds.push(Number(le));
      s.cumulative.push(v.value);
    } else if (metricName.endsWith('_sum')) s.sum = v.value;
    else if (metricName.endsWith('_count')) s.count = v.value;
  }
  return [...series.values()].map((s) => ({
    attributes: attributes(s.labels),
    startTimeUnixNano: start,
    timeUnixNano: now,
    count: String(s.count),
    sum: s.sum,
    bucketCounts: s.cumulative.map((c, i) => String(c - (i === 0 ? 0 : s.cumulative[i - 1]!))),
    explicitBounds: s.bounds,
  }));
}

/** Label values are strings in Prometheus; the GenAI labels get their dotted names back. */
function attributes(labels: Labels): unknown[] {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (v !== undefined) out[ATTR_OTEL[k] ?? k] = String(v);
  return otlpAttributes(out);
}
