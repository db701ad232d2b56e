/**
 * One gateway's metrics (issue #27 item 4), for GET /metrics. A gateway owns one Metrics: its own
 * prom-client Registry, never the library's global one, so two gateways in one process (a drill,
 * a test) never count into each other's series (DESIGN.md: nothing at module level).
 *
 * The request path calls the small typed methods below (attempt, request, tokens in attempt,
 * shed, queued, retryBudget): each is a Map lookup per series and a few additions (series.ts), no
 * I/O; prom-client formats the text only when Prometheus scrapes. What is a state rather than an
 * event (breakers, limiter limits, journal queue, Redis degraded) is read from sources at scrape,
 * never pushed.
 * Names and buckets follow the OpenTelemetry GenAI conventions where they name a measure
 * (gen-ai.ts); the rest are `switchyard_*` (docs/metrics.md lists every series).
 */
import { Registry } from 'prom-client';
import { FastCounter, FastHistogram } from './series.js';
import { ATTR, DURATION_BUCKETS, GEN_AI, genAiProviderName, TOKEN_BUCKETS, TTFT_BUCKETS } from './gen-ai.js';
import { registerStateGauges, type MetricsSources } from './state-gauges.js';

export type { MetricsSources, TargetSnapshot } from './state-gauges.js';

/** Why an upstream attempt was made. */
export type AttemptKind = 'first' | 'retry' | 'failover' | 'hedge' | 'resume';

export interface UpstreamAttempt {
  /** The configured provider's name (`openai-main`) and type (`openai`). */
  provider: string;
  providerType: string;
  /** The model id sent upstream. */
  model: string;
  kind: AttemptKind;
  /** 'ok', 'cut' (died mid-answer), or the error kind (core/error-codes.ts: rate_limited, timeout...). */
  outcome: string;
  durationMs: number;
  /** The model the provider said answered, when it said. */
  responseModel?: string;
  inputTokens?: number;
  outputTokens?: number;
  /** gen_ai.operation.name: 'chat' (default), 'embeddings'. */
  operation?: string;
}

export interface ClientRequest {
  /** The alias the client asked for, and its wire format (openai-chat, anthropic-messages...). */
  alias: string;
  ingress: string;
  /** 'ok', or the error kind / code class the client got ('shed', 'rate_limited', 'upstream_error'...). */
  outcome: string;
  durationMs: number;
  /** Time until the first token reached the client (successful answers only). */
  ttftMs?: number;
  /** The target that answered (or was last tried): its provider type, and the model requested from it. */
  providerType?: string;
  model?: string;
  responseModel?: string;
  operation?: string;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: FastCounter;
  private readonly attempts: FastCounter;
  private readonly attemptDuration: FastHistogram;
  private readonly tokenUsage: FastHistogram;
  private readonly requestDuration: FastHistogram;
  private readonly ttft: FastHistogram;
  private readonly shedTotal: FastCounter;
  private readonly queuedTotal: FastCounter;
  private readonly budget: FastCounter;

  /** Read at each scrape; the composition root fills it as it builds the pieces. */
  readonly sources: MetricsSources;

  constructor(sources: MetricsSources = {}) {
    this.sources = { ...sources };
    const registers = [this.registry];
    const gen = [ATTR.operation, ATTR.provider, ATTR.requestModel, ATTR.responseModel];
    this.requests = new FastCounter('switchyard_requests_total', 'Client requests, by alias, client wire format and outcome.', ['alias', 'ingress', 'outcome'], registers);
    this.attempts = new FastCounter('switchyard_upstream_attempts_total', 'Upstream attempts by provider, model, kind (first, retry, failover, hedge, resume) and outcome.', ['provider', 'model', 'kind', 'outcome'], registers);
    this.attemptDuration = new FastHistogram(GEN_AI.clientOperationDuration, 'GenAI operation duration: one upstream attempt (gen_ai.client.operation.duration).', [...gen, ATTR.errorType], DURATION_BUCKETS, registers);
    this.tokenUsage = new FastHistogram(GEN_AI.clientTokenUsage, 'Number of input and output tokens used, per upstream attempt (gen_ai.client.token.usage).', [...gen, ATTR.tokenType], TOKEN_BUCKETS, registers);
    this.requestDuration = new FastHistogram(GEN_AI.serverRequestDuration, 'Client request duration, to the last byte (gen_ai.server.request.duration).', [...gen, ATTR.errorType], DURATION_BUCKETS, registers);
    this.ttft = new FastHistogram(GEN_AI.serverTimeToFirstToken, 'Time to the first token the client received, successful requests (gen_ai.server.time_to_first_token).', gen, TTFT_BUCKETS, registers);
    this.shedTotal = new FastCounter('switchyard_requests_shed_total', 'Requests refused because the gateway itself was overloaded, by priority class.', ['class'], registers);
    this.queuedTotal = new FastCounter('switchyard_requests_queued_total', 'Requests that waited for capacity before their first attempt, by priority class.', ['class'], registers);
    this.budget = new FastCounter('switchyard_retry_budget_total', 'Retry-budget withdrawals (retries, failovers, hedges) by alias: granted or denied.', ['alias', 'result'], registers);
    registerStateGauges(registers, this.sources);
  }

  /** One upstream attempt ended. */
  attempt(a: UpstreamAttempt): void {
    this.attempts.inc([a.provider, a.model, a.kind, a.outcome]);
    const op = a.operation ?? 'chat';
    const provider = genAiProviderName(a.providerType);
    const responseModel = a.responseModel ?? a.model;
    this.attemptDuration.observe([op, provider, a.model, responseModel, a.outcome === 'ok' ? undefined : a.outcome], a.durationMs / 1000);
    if (a.inputTokens !== undefined) this.tokenUsage.observe([op, provider, a.model, responseModel, 'input'], a.inputTokens);
    if (a.outputTokens !== undefined) this.tokenUsage.observe([op, provider, a.model, responseModel, 'output'], a.outputTokens);
  }

  /** One client request ended (answered, failed or refused). */
  request(r: ClientRequest): void {
    this.requests.inc([r.alias, r.ingress, r.outcome]);
    // An attribute the request never had (no target reached) is left out, not written empty.
    const op = r.operation ?? 'chat';
    const provider = r.providerType === undefined ? undefined : genAiProviderName(r.providerType);
    const model = r.model ?? r.alias;
    const responseModel = r.responseModel ?? r.model;
    this.requestDuration.observe([op, provider, model, responseModel, r.outcome === 'ok' ? undefined : r.outcome], r.durationMs / 1000);
    if (r.outcome === 'ok' && r.ttftMs !== undefined) this.ttft.observe([op, provider, model, responseModel], r.ttftMs / 1000);
  }

  /** A request refused by load shedding. */
  shed(priorityClass: string): void {
    this.shedTotal.inc([priorityClass]);
  }

  /** A request that had to wait for capacity. */
  queued(priorityClass: string): void {
    this.queuedTotal.inc([priorityClass]);
  }

  /** A retry, failover or hedge asked the budget. */
  retryBudget(alias: string, granted: boolean): void {
    this.budget.inc([alias, granted ? 'granted' : 'denied']);
  }

  /** The Prometheus text exposition format (version 0.0.4), for GET /metrics. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  /** Content-Type of render()'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }
}
