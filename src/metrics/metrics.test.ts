import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { Metrics } from './metrics.js';

const family = (all: ParsedFamily[], name: string): ParsedFamily => {
  const f = all.find((x) => x.name === name);
  assert.ok(f, `${name} is exposed`);
  return f;
};

describe('Metrics (GET /metrics)', () => {
  it('renders the Prometheus text format with the OpenTelemetry GenAI names and attributes, and every switchyard series', async () => {
    const m = new Metrics();
    m.sources.targets = () => [
      { target: 'openai/gpt-4o', breaker: 'open', limit: 4, inFlight: 1 },
      { target: 'anthropic/claude', breaker: 'closed', limit: 32, inFlight: 0 },
    ];
    m.sources.journal = () => ({ queued: 7, dropped: 2, failed: 0, unconfirmed: 5 });
    m.sources.storage = () => ({ redisDegraded: true, liveInstances: 3, droppedSettlements: 1, failedWrites: 0 });
    // 2024-12-11: OpenAI fails, the request fails over to Anthropic.
    m.attempt({ provider: 'openai-main', providerType: 'openai', model: 'gpt-4o', kind: 'first', outcome: 'transient', durationMs: 1_200 });
    m.attempt({ provider: 'anthropic', providerType: 'anthropic', model: 'claude-sonnet-4', kind: 'failover', outcome: 'ok', durationMs: 2_500, responseModel: 'claude-sonnet-4-20250514', inputTokens: 812, outputTokens: 120 });
    m.request({ alias: 'chat', ingress: 'openai-chat', outcome: 'ok', durationMs: 3_800, ttftMs: 1_900, providerType: 'anthropic', model: 'claude-sonnet-4', responseModel: 'claude-sonnet-4-20250514' });
    m.request({ alias: 'chat', ingress: 'openai-chat', outcome: 'shed', durationMs: 1 });
    m.shed('batch');
    m.queued('interactive');
    m.retryBudget('chat', true);
    m.retryBudget('chat', false);

    const text = await m.render();
    assert.match(m.contentType, /^text\/plain; version=0\.0\.4/);
    const all = parsePrometheusTextFormat(text);

    // Every sample line is `name{label="value",...} number`, and every family has HELP and TYPE.
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
      assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|[+-]Inf|NaN)$/, line);
    }
    // The parser keeps histograms' families and types; it folds labelled histogram series into one
    // (a limitation of parse-prometheus-text-format), so their samples are read from the lines.
    for (const name of ['gen_ai_client_token_usage', 'gen_ai_client_operation_duration_seconds', 'gen_ai_server_request_duration_seconds', 'gen_ai_server_time_to_first_token_seconds']) {
      assert.equal(family(all, name).type, 'HISTOGRAM', name);
    }
    const sample = (name: string, labels: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
      assert.ok(line, `${name} with ${labels}`);
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    };
    const anthropic = 'gen_ai_operation_name="chat",gen_ai_provider_name="anthropic",gen_ai_request_model="claude-sonnet-4",gen_ai_response_model="claude-sonnet-4-20250514"';
    assert.equal(sample('gen_ai_client_token_usage_sum', `${anthropic},gen_ai_token_type="input"`), 812);
    assert.equal(sample('gen_ai_client_token_usage_sum', `${anthropic},gen_ai_token_type="output"`), 120);
    assert.equal(sample('gen_ai_server_request_duration_seconds_count', anthropic), 1);
    assert.equal(sample('gen_ai_server_request_duration_seconds_sum', anthropic), 3.8);
    assert.equal(sample('gen_ai_server_time_to_first_token_seconds_bucket', 'le="2.5"'), 1);
    assert.equal(sample('gen_ai_server_time_to_first_token_seconds_bucket', 'le="1"'), 0);
    assert.equal(text.split('\n').filter((l) => l.startsWith('gen_ai_server_time_to_first_token_seconds_count')).length, 1, 'only successful requests have a time to first token');
    assert.equal(sample('gen_ai_server_request_duration_seconds_count', 'error_type="shed"'), 1);
    assert.equal(sample('gen_ai_client_operation_duration_seconds_count', 'gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",gen_ai_response_model="gpt-4o",error_type="transient"'), 1);

    const attempts = family(all, 'switchyard_upstream_attempts_total');
    assert.deepEqual(attempts.metrics.map((s) => [s.labels?.kind, s.labels?.outcome, s.value]).sort(), [['failover', 'ok', '1'], ['first', 'transient', '1']]);
    assert.deepEqual(family(all, 'switchyard_requests_total').metrics.map((s) => s.labels?.outcome).sort(), ['ok', 'shed']);
    assert.equal(family(all, 'switchyard_requests_shed_total').metrics[0]!.labels?.class, 'batch');
    assert.equal(family(all, 'switchyard_requests_queued_total').metrics[0]!.labels?.class, 'interactive');
    assert.deepEqual(family(all, 'switchyard_retry_budget_total').metrics.map((s) => s.labels?.result).sort(), ['denied', 'granted']);

    const breaker = family(all, 'switchyard_breaker_state').metrics;
    assert.equal(breaker.find((s) => s.labels?.target === 'openai/gpt-4o' && s.labels.state === 'open')?.value, '1');
    assert.equal(breaker.find((s) => s.labels?.target === 'openai/gpt-4o' && s.labels.state === 'closed')?.value, '0');
    assert.equal(family(all, 'switchyard_limiter_limit').metrics.find((s) => s.labels?.target === 'anthropic/claude')?.value, '32');
    assert.equal(family(all, 'switchyard_journal_queue_depth').metrics[0]!.value, '7');
    assert.equal(family(all, 'switchyard_journal_dropped_total').metrics[0]!.value, '2');
    assert.equal(family(all, 'switchyard_journal_unconfirmed_total').metrics[0]!.value, '5');
    assert.equal(family(all, 'switchyard_redis_degraded').metrics[0]!.value, '1');
    assert.equal(family(all, 'switchyard_live_instances').metrics[0]!.value, '3');
  });

  it('two gateways in one process keep apart: each Metrics has its own registry, and a scrape reads state now', async () => {
    const a = new Metrics();
    const b = new Metrics();
    a.request({ alias: 'chat', ingress: 'openai-chat', outcome: 'ok', durationMs: 10 });
    let degraded = false;
    b.sources.storage = () => ({ redisDegraded: degraded });
    const requestsOf = async (m: Metrics) => family(parsePrometheusTextFormat(await m.render()), 'switchyard_requests_total').metrics.length;
    assert.equal(await requestsOf(a), 1);
    assert.equal(await requestsOf(b), 0);
    const degradedOf = async () => family(parsePrometheusTextFormat(await b.render()), 'switchyard_redis_degraded').metrics[0]!.value;
    assert.equal(await degradedOf(), '0');
    degraded = true;
    assert.equal(await degradedOf(), '1');
  });
});
