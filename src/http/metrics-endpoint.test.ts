/**
 * GET /metrics with real traffic (issue #27 item 4): the official openai SDK through a gateway
 * whose primary fails, then a scrape parsed as Prometheus text. The series move with the traffic:
 * requests, attempts by kind and outcome, time to first token, tokens per upstream attempt.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { resolveGuard } from '../config/guard-schema.js';
import { policyWith } from '../routing/policy.js';
import { startStack, withPolicy, type Stack } from '../test-support/stack.js';

const PROMPT = 'Explain failover in one paragraph.';
const FAST = policyWith({ ttftTimeoutMs: 300, jsonTimeoutMs: 500, idleTimeoutMs: 300 });

const family = (all: ParsedFamily[], name: string): ParsedFamily => {
  const f = all.find((x) => x.name === name);
  assert.ok(f, `${name} is exposed`);
  return f;
};

/** A histogram's `_count` samples (one per label set) summed, from the text (the parser folds labelled histograms). */
function histogramCount(text: string, name: string, labels = ''): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}_count{`) && l.includes(labels))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

function histogramSum(text: string, name: string, labels: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}_sum{`) && l.includes(labels))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('GET /metrics', () => {
  let st: Stack;
  before(async () => {
    st = await startStack({ configure: (c) => withPolicy(c, FAST) });
  });
  after(() => st.close());

  test('OpenAI down (503): requests, a failover attempt, time to first token and tokens per attempt all move, and the scrape parses', async () => {
    st.sims.openai.faults.set([{ fault: { kind: 'status', status: 503 } }]);
    const c = new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const N = 6;
    try {
      for (let i = 0; i < N; i++) {
        if (i % 2 === 0) {
          const r = await c.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: PROMPT }] });
          assert.ok(r.choices[0]!.message.content);
        } else {
          const stream = await c.chat.completions.create({ model: 'chat', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: PROMPT }] });
          let text = '';
          for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
          assert.ok(text.length > 0);
        }
      }
    } finally {
      st.sims.openai.faults.set([]);
    }

    const res = await fetch(`${st.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const all = parsePrometheusTextFormat(text);

    const requests = family(all, 'switchyard_requests_total').metrics;
    assert.deepEqual(
      requests.map((s) => [s.labels?.alias, s.labels?.ingress, s.labels?.outcome, s.value]),
      [['chat', 'openai-chat', 'ok', String(N)]],
      'every request counted once, as answered',
    );

    const attempts = family(all, 'switchyard_upstream_attempts_total').metrics;
    const count = (pred: (l: Record<string, string>) => boolean) => attempts.filter((s) => pred(s.labels ?? {})).reduce((n, s) => n + Number(s.value), 0);
    assert.ok(count((l) => l.provider === 'sim-openai' && l.kind === 'first' && l.outcome !== 'ok') >= 1, 'the failing primary was tried first');
    assert.ok(count((l) => l.provider === 'sim-anthropic' && l.kind === 'failover' && l.outcome === 'ok') >= 1, 'a failover attempt answered');
    assert.equal(count((l) => l.outcome === 'ok'), N, 'one successful attempt per request');

    // Every successful request has a time to first token, by the provider that answered.
    assert.equal(histogramCount(text, 'gen_ai_server_time_to_first_token_seconds'), N);
    assert.equal(histogramCount(text, 'gen_ai_server_time_to_first_token_seconds', 'gen_ai_provider_name="anthropic"'), N);
    assert.equal(histogramCount(text, 'gen_ai_server_request_duration_seconds'), N);
    // Tokens per upstream attempt: input and output for each answered attempt (JSON and streamed).
    assert.equal(histogramCount(text, 'gen_ai_client_token_usage', 'gen_ai_token_type="input"'), N);
    assert.ok(histogramSum(text, 'gen_ai_client_token_usage', 'gen_ai_token_type="output"') > 0);
    assert.ok(histogramCount(text, 'gen_ai_client_operation_duration_seconds', 'error_type=') >= 1, 'the failed attempts have a duration with their error type');

    // Failovers asked the retry budget; the breaker of the failing primary is visible per target.
    assert.ok(family(all, 'switchyard_retry_budget_total').metrics.some((s) => s.labels?.result === 'granted' && Number(s.value) >= 1));
    const breakers = family(all, 'switchyard_breaker_state').metrics.filter((s) => s.value === '1');
    assert.ok(breakers.some((s) => s.labels?.target?.startsWith('sim-anthropic/') && s.labels.state === 'closed'));
    assert.ok(family(all, 'switchyard_limiter_limit').metrics.length >= 3);
  });
});

describe('GET /metrics behind the admin key (metrics.require_admin_key)', () => {
  let st: Stack;
  before(async () => {
    st = await startStack({ configure: (c) => ({ ...c, metrics: { enabled: true, requireAdminKey: true }, guard: resolveGuard({ guard: { admin_key: 'sk-admin-FAKE' } }, {}) }) });
  });
  after(() => st.close());

  test('without the key: 401; with it: the metrics', async () => {
    const none = await fetch(`${st.url}/metrics`);
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    const wrong = await fetch(`${st.url}/metrics`, { headers: { authorization: 'Bearer sk-other' } });
    assert.equal(wrong.status, 401);
    const ok = await fetch(`${st.url}/metrics`, { headers: { authorization: 'Bearer sk-admin-FAKE' } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /# TYPE switchyard_requests_total counter/);
  });
});
