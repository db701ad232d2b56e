/**
 * OpenTelemetry export (issue #27 item 5): a client request traced by its caller (W3C traceparent)
 * through a gateway whose primary fails; an in-process OTLP/HTTP receiver gets a server span that
 * is the caller's child, and one client span per upstream attempt under it (first: failed,
 * failover: ok), and each upstream received the traceparent of its own attempt's span.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { policyWith } from '../routing/policy.js';
import { startStack, withPolicy, type Stack } from '../test-support/stack.js';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  status: { code: number };
}

const attr = (s: OtlpSpan, key: string): unknown => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v ? Object.values(v)[0] : undefined;
};

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

describe('OTLP trace export', () => {
  let st: Stack;
  let receiver: Server;
  const bodies: Array<{ resourceSpans: Array<{ resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: Array<{ spans: OtlpSpan[] }> }> }> = [];
  const upstream: Array<{ url: string; headers: IncomingHttpHeaders }> = [];

  before(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        assert.equal(req.url, '/v1/traces');
        assert.equal(req.headers['content-type'], 'application/json');
        bodies.push(JSON.parse(body) as (typeof bodies)[number]);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    st = await startStack({
      sim: { onRequest: (r) => void upstream.push({ url: r.url, headers: r.headers }) },
      configure: (c) => ({ ...withPolicy(c, policyWith({ ttftTimeoutMs: 300, jsonTimeoutMs: 500 })), telemetry: { otlpEndpoint: endpoint, serviceName: 'gateway-under-test', metricsIntervalMs: 0 } }),
    });
  });
  after(async () => {
    await st.close();
    await new Promise((r) => receiver.close(r));
  });

  test('a request span under the caller, a span per attempt under it, and each upstream gets its attempt as parent', async () => {
    st.sims.openai.faults.set([{ fault: { kind: 'status', status: 503 } }]);
    const c = new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const stream = await c.chat.completions.create(
      { model: 'chat', stream: true, messages: [{ role: 'user', content: 'Explain failover in one paragraph.' }] },
      { headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` } },
    );
    for await (const chunk of stream) void chunk;
    st.sims.openai.faults.set([]);
    // Closing the gateway flushes what the exporter holds.
    await st.gateway.close();

    assert.ok(bodies.length >= 1, 'the receiver got an export');
    assert.equal(attr({ attributes: bodies[0]!.resourceSpans[0]!.resource.attributes } as OtlpSpan, 'service.name'), 'gateway-under-test');
    const spans = bodies.flatMap((b) => b.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
    const request = spans.filter((s) => s.kind === 2);
    assert.equal(request.length, 1);
    const root = request[0]!;
    assert.equal(root.traceId, CALLER_TRACE, "the request joins the caller's trace");
    assert.equal(root.parentSpanId, CALLER_SPAN, "the request span is the caller's child");
    assert.equal(root.name, 'chat chat');
    assert.equal(attr(root, 'http.response.status_code'), '200');

    const attempts = spans.filter((s) => s.kind === 3);
    assert.deepEqual(
      attempts.map((s) => [attr(s, 'gen_ai.provider.name'), attr(s, 'switchyard.attempt.kind'), attr(s, 'switchyard.attempt.outcome')]),
      [
        ['openai', 'first', 'overloaded'],
        ['anthropic', 'failover', 'ok'],
      ],
    );
    for (const a of attempts) {
      assert.equal(a.traceId, CALLER_TRACE);
      assert.equal(a.parentSpanId, root.spanId, 'each attempt is a child of the request span');
      assert.ok(typeof attr(a, 'gen_ai.request.model') === 'string');
    }
    assert.equal(attempts[0]!.status.code, 2);
    assert.equal(attempts[1]!.status.code, 1);

    // Each upstream call carried its own attempt's span as parent.
    const sent = upstream.filter((u) => u.headers.traceparent !== undefined).map((u) => u.headers.traceparent);
    assert.deepEqual(sent, attempts.map((a) => `00-${CALLER_TRACE}-${a.spanId}-01`));
  });
});
