/**
 * Metrics over OTLP (issue #27 item 5): a gateway with telemetry on exports its registry to
 * <endpoint>/v1/metrics on its own clock's interval, with the GenAI measures under their OTel
 * names; a collector that is slow or down costs one export in flight and one log line, nothing else.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { ManualClock } from '../core/clock.js';
import { Metrics } from '../metrics/metrics.js';
import { TTFT_BUCKETS } from '../metrics/gen-ai.js';
import { startStack, type Stack } from '../test-support/stack.js';
import { OtlpMetricExporter } from './otlp-metrics.js';

interface Attr {
  key: string;
  value: Record<string, unknown>;
}
interface NumberPoint {
  attributes: Attr[];
  startTimeUnixNano?: string;
  timeUnixNano: string;
  asDouble: number;
}
interface HistogramPoint {
  attributes: Attr[];
  count: string;
  sum: number;
  bucketCounts: string[];
  explicitBounds: number[];
}
interface OtlpMetric {
  name: string;
  unit?: string;
  sum?: { aggregationTemporality: number; isMonotonic: boolean; dataPoints: NumberPoint[] };
  gauge?: { dataPoints: NumberPoint[] };
  histogram?: { aggregationTemporality: number; dataPoints: HistogramPoint[] };
}
interface MetricsBody {
  resourceMetrics: Array<{ resource: { attributes: Attr[] }; scopeMetrics: Array<{ metrics: OtlpMetric[] }> }>;
}

const value = (attrs: Attr[], key: string): unknown => {
  const v = attrs.find((a) => a.key === key)?.value;
  return v ? Object.values(v)[0] : undefined;
};

/** An in-process collector: each metrics POST's path and JSON (spans are taken and ignored), and a hook to hold or fail the answer. */
async function receiver(answer: (res: ServerResponse) => void = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}')) {
  const posts: Array<{ url: string; body: unknown }> = [];
  const waiting: Array<() => void> = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      if (req.url === '/v1/traces') return void res.writeHead(200).end('{}');
      posts.push({ url: req.url ?? '', body: JSON.parse(body) });
      waiting.splice(0).forEach((w) => w());
      answer(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    posts,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Resolves once `n` POSTs have arrived (or fails after 5 s). */
    received: (n: number) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`only ${posts.length} of ${n} exports arrived`)), 5_000);
        const check = () => (posts.length >= n ? (clearTimeout(t), resolve()) : waiting.push(check));
        check();
      }),
    close: () => new Promise((r) => server.close(r)),
  };
}

describe('OTLP metric export from a gateway', () => {
  let st: Stack;
  let rx: Awaited<ReturnType<typeof receiver>>;
  const clock = new ManualClock();

  before(async () => {
    rx = await receiver();
    st = await startStack({ clock, configure: (c) => ({ ...c, telemetry: { otlpEndpoint: rx.endpoint, serviceName: 'gateway-under-test', metricsIntervalMs: 15_000 } }) });
  });
  after(async () => {
    await st.close();
    await rx.close();
  });

  test("on the gateway clock's interval: the request count as a sum, time to first token as an OTel-named histogram", async () => {
    const c = new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0 });
    for (let i = 0; i < 3; i++) {
      const stream = await c.chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: `Question ${i}` }] });
      for await (const chunk of stream) void chunk;
    }
    clock.advance(14_999);
    assert.equal(rx.posts.length, 0, 'nothing before the interval');
    clock.advance(1);
    await rx.received(1);

    const { url, body } = rx.posts[0]! as { url: string; body: MetricsBody };
    assert.equal(url, '/v1/metrics');
    assert.equal(value(body.resourceMetrics[0]!.resource.attributes, 'service.name'), 'gateway-under-test');
    const metrics = body.resourceMetrics[0]!.scopeMetrics.flatMap((s) => s.metrics);
    const byName = (n: string) => metrics.find((m) => m.name === n);

    const requests = byName('switchyard_requests_total')!.sum!;
    assert.equal(requests.aggregationTemporality, 2, 'cumulative');
    assert.equal(requests.isMonotonic, true);
    const ok = requests.dataPoints.filter((p) => value(p.attributes, 'outcome') === 'ok');
    assert.deepEqual(
      ok.map((p) => [value(p.attributes, 'alias'), value(p.attributes, 'ingress'), p.asDouble]),
      [['chat', 'openai-chat', 3]],
    );
    assert.match(ok[0]!.timeUnixNano, /^\d+$/, 'unix nanos as a decimal string');
    assert.equal(ok[0]!.timeUnixNano, `${clock.now()}000000`);

    const ttft = byName('gen_ai.server.time_to_first_token');
    assert.ok(ttft?.histogram, 'exported under the OTel name, as a histogram');
    assert.equal(ttft.unit, 's');
    assert.equal(byName('gen_ai_server_time_to_first_token_seconds'), undefined, 'not also under the Prometheus name');
    const [point, ...others] = ttft.histogram.dataPoints;
    assert.equal(others.length, 0);
    assert.equal(point!.count, '3', 'one per streamed request');
    assert.deepEqual(point!.explicitBounds, TTFT_BUCKETS);
    assert.equal(point!.bucketCounts.length, TTFT_BUCKETS.length + 1);
    assert.equal(
      point!.bucketCounts.reduce((a, b) => a + Number(b), 0),
      3,
      'per-bucket counts, not cumulative ones',
    );
    assert.equal(typeof value(point!.attributes, 'gen_ai.request.model'), 'string');
    assert.equal(value(point!.attributes, 'gen_ai.operation.name'), 'chat', 'GenAI attributes under their dotted names');

    const attempts = byName('gen_ai.client.operation.duration');
    assert.equal(attempts?.unit, 's', 'per-attempt duration under its OTel name');
    assert.equal(attempts.histogram!.dataPoints.reduce((a, p) => a + Number(p.count), 0), 3);
    assert.ok(byName('switchyard_limiter_limit')?.gauge, 'a gauge stays a gauge');

    // A graceful stop sends the final values once more.
    await st.gateway.close();
    assert.deepEqual(rx.posts.map((p) => p.url), ['/v1/metrics', '/v1/metrics']);
    assert.equal(rx.posts[1]!.url, '/v1/metrics');
  });
});

describe('OTLP metric exporter against a collector that is slow or down', () => {
  test('one export in flight at a time: ticks while it hangs are skipped, not queued', async () => {
    const held: ServerResponse[] = [];
    let hold = true;
    const rx = await receiver((res) => (hold ? held.push(res) : res.writeHead(200).end('{}')));
    const clock = new ManualClock();
    const metrics = new Metrics();
    metrics.shed('batch');
    const exporter = new OtlpMetricExporter({ endpoint: rx.endpoint, serviceName: 's', registry: metrics.registry, clock, intervalMs: 1_000 });
    try {
      clock.advance(1_000);
      await rx.received(1);
      for (let i = 0; i < 5; i++) clock.advance(1_000);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(rx.posts.length, 1, 'the hanging export is the only one');
      hold = false;
      held.splice(0).forEach((res) => res.writeHead(200).end('{}'));
      await exporter.export();
      clock.advance(1_000);
      await rx.received(2);
      await exporter.export();
      assert.equal(exporter.exported, 2);
    } finally {
      hold = false;
      held.splice(0).forEach((res) => res.writeHead(200).end('{}'));
      await exporter.close();
      await rx.close();
    }
  });

  test('a collector that is down: logged once per failure streak, never thrown, exported again when it is back', async () => {
    let up = false;
    const rx = await receiver((res) => res.writeHead(up ? 200 : 503).end('{}'));
    const clock = new ManualClock();
    const metrics = new Metrics();
    metrics.shed('batch');
    const errors: unknown[] = [];
    const exporter = new OtlpMetricExporter({ endpoint: rx.endpoint, serviceName: 's', registry: metrics.registry, clock, intervalMs: 1_000, onError: (e) => errors.push(e) });
    for (let n = 1; n <= 3; n++) {
      clock.advance(1_000);
      await rx.received(n);
      await exporter.export();
    }
    assert.equal(exporter.failed, 3);
    assert.equal(errors.length, 1, 'one log line for the streak');
    assert.match(String(errors[0]), /HTTP 503/);
    up = true;
    await exporter.close();
    assert.equal(exporter.exported, 1, 'the final export on close went through');
    await rx.close();
  });
});
