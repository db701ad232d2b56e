/**
 * `telemetry:` (issue #27 item 5): where spans and metrics go and how often metrics leave; the
 * standard OTEL_* variables when the file says nothing; a bad interval named at start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from './config-error.js';
import { parseConfigText } from './parse-config.js';

const parse = (yaml: string, env: NodeJS.ProcessEnv = {}) => parseConfigText(yaml, 'gw.yaml', env);

test('metrics leave every 60 s by default, as the OpenTelemetry SDKs do; the file or OTEL_METRIC_EXPORT_INTERVAL says otherwise', () => {
  assert.equal(parse('telemetry: { otlp_endpoint: "http://collector:4318/" }\n').telemetry?.metricsIntervalMs, 60_000);
  assert.deepEqual(parse('telemetry: { otlp_endpoint: "http://collector:4318/", metrics_interval_ms: 0 }\n').telemetry, {
    otlpEndpoint: 'http://collector:4318',
    serviceName: 'switchyard',
    metricsIntervalMs: 0,
  });
  assert.equal(parse('', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_METRIC_EXPORT_INTERVAL: '5000' }).telemetry?.metricsIntervalMs, 5_000);
  assert.equal(parse('telemetry: { otlp_endpoint: "http://c:4318", metrics_interval_ms: 10000 }\n', { OTEL_METRIC_EXPORT_INTERVAL: '5000' }).telemetry?.metricsIntervalMs, 10_000, 'the file wins');
  assert.equal(parse('', { OTEL_METRIC_EXPORT_INTERVAL: '5000' }).telemetry, undefined, 'no endpoint: telemetry stays off');
});

test('an unusable OTEL_METRIC_EXPORT_INTERVAL keeps the default and is noted at start; a bad file value is refused', () => {
  const c = parse('', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_METRIC_EXPORT_INTERVAL: '1m' });
  assert.equal(c.telemetry?.metricsIntervalMs, 60_000);
  assert.ok(c.notes.some((n) => n.startsWith('OTEL_METRIC_EXPORT_INTERVAL="1m" is not a whole number of milliseconds')), c.notes.join('\n'));
  assert.throws(
    () => parse('telemetry: { otlp_endpoint: "http://c:4318", metrics_interval_ms: -1 }\n'),
    (e: unknown) => e instanceof ConfigError && /telemetry\.metrics_interval_ms: out of range; expected a whole number of milliseconds from 0 \(no metric export\) to 3600000/.test(e.message),
  );
});
