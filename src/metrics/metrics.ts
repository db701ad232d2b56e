/**
 * One gateway's metrics (issue #27 item 4), for GET /metrics. A gateway owns one Metrics: its own
 * prom-client Registry, never the library's global one, so two gateways in one process (a drill,
 * a test) never count into each other's series (DESIGN.md: nothing at module level).
 *
 * The request path calls the small typed methods below (attempt, request, tokens in attempt,
 * shed, queued, retryBudget): each is a few label lookups and increments, no I/O, no allocation
 * beyond prom-client's own. What is a state rather than an event (breakers, limiter limits,
 * journal queue, Redis degraded) is read from sources when Prometheus scrapes, never pushed.
 * Names and buckets follow the OpenTelemetry GenAI conventions where they name a measure
 * (gen-ai.ts); the rest are `switchyard_*` (docs/metrics.md lists every series).
 */
import { Counter, Histogram, Registry } from 'prom-client';
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
  private readonly requests: Counter<'alias' | 'ingress' | 'outcome'>;
  private readonly attempts: Counter<'provider' | 'model' | 'kind' | 'outcome'>;
  private readonly attemptDuration: Histogram<string>;
  private readonly tokenUsage: Histogram<string>;
  private readonly requestDuration: Histogram<string>;
  private readonly ttft: Histogram<string>;
  private readonly shedTotal: Counter<'class'>;
  private readonly queuedTotal: Counter<'class'>;
  private readonly budget: Counter<'alias' | 'result'>;

  /** Read at each scrape; the composition root fills it as it builds the pieces. */
  readonly sources: MetricsSources;

  constructor(sources: MetricsSources = {}) {
    this.sources = { ...sources };
    const registers = [this.registry];
    const gen = [ATTR.operation, ATTR.provider, ATTR.requestModel, ATTR.responseModel];
    this.requests = new Counter({ name: 'switchyard_requests_total', help: 'Client requests, by alias, client wire format and outcome.', labelNames: ['alias', 'ingress', 'outcome'], registers });
    this.attempts = new Counter({ name: 'switchyard_upstream_attempts_total', help: 'Upstream attempts by provider, model, kind (first, retry, failover, hedge, resume) and outcome.', labelNames: ['provider', 'model', 'kind', 'outcome'], registers });
    this.attemptDuration = new Histogram({ name: GEN_AI.clientOperationDuration, help: 'GenAI operation duration: one upstream attempt (gen_ai.client.operation.duration).', labelNames: [...gen, ATTR.errorType], buckets: DURATION_BUCKETS, registers });
    this.tokenUsage = new Histogram({ name: GEN_AI.clientTokenUsage, help: 'Number of input and output tokens used, per upstream attempt (gen_ai.client.token.usage).', labelNames: [...gen, ATTR.tokenType], buckets: TOKEN_BUCKETS, registers });
    this.requestDuration = new Histogram({ name: GEN_AI.serverRequestDuration, help: 'Client request duration, to the last byte (gen_ai.server.request.duration).', labelNames: [...gen, ATTR.errorType], buckets: DURATION_BUCKETS, registers });
    this.ttft = new Histogram({ name: GEN_AI.serverTimeToFirstToken, help: 'Time to the first token the client received, successful requests (gen_ai.server.time_to_first_token).', labelNames: gen, buckets: TTFT_BUCKETS, registers });
    this.shedTotal = new Counter({ name: 'switchyard_requests_shed_total', help: 'Requests refused because the gateway itself was overloaded, by priority class.', labelNames: ['class'], registers });
    this.queuedTotal = new Counter({ name: 'switchyard_requests_queued_total', help: 'Requests that waited for capacity before their first attempt, by priority class.', labelNames: ['class'], registers });
    this.budget = new Counter({ name: 'switchyard_retry_budget_total', help: 'Retry-budget withdrawals (retries, failovers, hedges) by alias: granted or denied.', labelNames: ['alias', 'result'], registers });
    registerStateGauges(registers, this.sources);
  }

  /** One upstream attempt ended. */
  attempt(a: UpstreamAttempt): void {
    this.attempts.inc({ provider: a.provider, model: a.model, kind: a.kind, outcome: a.outcome });
    const labels = {
      [ATTR.operation]: a.operation ?? 'chat',
      [ATTR.provider]: genAiProviderName(a.providerType),
      [ATTR.requestModel]: a.model,
      [ATTR.responseModel]: a.responseModel ?? a.model,
    };
    this.attemptDuration.observe(a.outcome === 'ok' ? labels : { ...labels, [ATTR.errorType]: a.outcome }, a.durationMs / 1000);
    if (a.inputTokens !== undefined) this.tokenUsage.observe({ ...labels, [ATTR.tokenType]: 'input' }, a.inputTokens);
    if (a.outputTokens !== undefined) this.tokenUsage.observe({ ...labels, [ATTR.tokenType]: 'output' }, a.outputTokens);
  }

  /** One client request ended (answered, failed or refused). */
  request(r: ClientRequest): void {
    this.requests.inc({ alias: r.alias, ingress: r.ingress, outcome: r.outcome });
    // An attribute the request never had (no target reached) is left out, not written empty.
    const labels: Record<string, string> = { [ATTR.operation]: r.operation ?? 'chat' };
    if (r.providerType !== undefined) labels[ATTR.provider] = genAiProviderName(r.providerType);
    labels[ATTR.requestModel] = r.model ?? r.alias;
    if (r.responseModel ?? r.model) labels[ATTR.responseModel] = (r.responseModel ?? r.model)!;
    this.requestDuration.observe(r.outcome === 'ok' ? labels : { ...labels, [ATTR.errorType]: r.outcome }, r.durationMs / 1000);
    if (r.outcome === 'ok' && r.ttftMs !== undefined) this.ttft.observe(labels, r.ttftMs / 1000);
  }

  /** A request refused by load shedding. */
  shed(priorityClass: string): void {
    this.shedTotal.inc({ class: priorityClass });
  }

  /** A request that had to wait for capacity. */
  queued(priorityClass: string): void {
    this.queuedTotal.inc({ class: priorityClass });
  }

  /** A retry, failover or hedge asked the budget. */
  retryBudget(alias: string, granted: boolean): void {
    this.budget.inc({ alias, result: granted ? 'granted' : 'denied' });
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
