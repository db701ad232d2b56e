/**
 * Spans for OpenTelemetry (issue #27 item 5): one per client request (kind server), a child per
 * upstream attempt (kind client) with the GenAI attributes (gen_ai.provider.name,
 * gen_ai.request.model) and the gateway's own (attempt kind, outcome). The client's W3C
 * `traceparent` makes the request span its child; each upstream call carries the attempt span's.
 * A caller that said "not sampled" is respected (parent-based sampling): ids still propagate,
 * nothing is exported. Only built when telemetry is configured: off, nothing here runs.
 */
import { genAiProviderName } from '../metrics/gen-ai.js';
import type { OtlpExporter } from './otlp-exporter.js';
import type { AttributeValue, FinishedSpan } from './span.js';
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent } from './trace-context.js';

/** What a span needs of an attempt's lease (routing's Lease has it). */
export interface TracedAttempt {
  readonly target: { readonly label: string; readonly model: string; readonly provider: { readonly name: string; readonly type: string } };
  readonly kind: string;
  readonly stream: boolean;
}

/** What a span needs of the attempt's end (routing's Settlement has it). */
export type TracedEnd = { ok: true; usage?: { inputTokens: number; outputTokens: number } } | { ok: false; error: { kind: string; code: string } } | { ok: 'neutral' };

export class Tracer {
  constructor(
    private readonly exporter: OtlpExporter,
    private readonly now: () => number,
  ) {}

  /** A client request arrived: its span, under the caller's trace context when it sent one. */
  request(traceparent: string | string[] | undefined, method: string, path: string): RequestSpan {
    const parent = parseTraceparent(traceparent);
    return new RequestSpan(this, parent?.traceId ?? newTraceId(), parent?.spanId, parent ? parent.sampled : true, `${method} ${path}`, this.now());
  }

  /** @internal */
  time(): number {
    return this.now();
  }

  /** @internal */
  export(span: FinishedSpan): void {
    this.exporter.add(span);
  }
}

export class RequestSpan {
  readonly spanId = newSpanId();
  readonly attributes: Record<string, AttributeValue> = {};

  constructor(
    private readonly tracer: Tracer,
    readonly traceId: string,
    private readonly parentSpanId: string | undefined,
    readonly sampled: boolean,
    private name: string,
    private readonly startMs: number,
  ) {}

  /** An upstream attempt starts: its child span. */
  attempt(lease: TracedAttempt): AttemptSpan {
    return new AttemptSpan(this.tracer, this, lease, this.tracer.time());
  }

  /** The response closed: `name` as the GenAI conventions put it ("chat gpt-4o") when known. */
  end(status: number, error: string | undefined, name?: string): void {
    if (!this.sampled) return;
    if (name !== undefined) this.name = name;
    this.attributes['http.response.status_code'] = status;
    if (error !== undefined) this.attributes['error.type'] = error;
    const span: FinishedSpan = { traceId: this.traceId, spanId: this.spanId, name: this.name, kind: 2, startMs: this.startMs, endMs: this.tracer.time(), attributes: this.attributes, status: error === undefined ? { code: 1 } : { code: 2, message: error } };
    if (this.parentSpanId !== undefined) span.parentSpanId = this.parentSpanId;
    this.tracer.export(span);
  }
}

export class AttemptSpan {
  readonly spanId = newSpanId();
  readonly traceparent: string;

  constructor(
    private readonly tracer: Tracer,
    private readonly parent: RequestSpan,
    private readonly lease: TracedAttempt,
    private readonly startMs: number,
  ) {
    this.traceparent = formatTraceparent(parent.traceId, this.spanId, parent.sampled);
  }

  end(result: TracedEnd): void {
    if (!this.parent.sampled) return;
    const t = this.lease.target;
    const attributes: Record<string, AttributeValue> = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': genAiProviderName(t.provider.type),
      'gen_ai.request.model': t.model,
      'switchyard.provider': t.provider.name,
      'switchyard.target': t.label,
      'switchyard.attempt.kind': this.lease.kind,
      'switchyard.attempt.outcome': result.ok === true ? 'ok' : result.ok === 'neutral' ? 'cancelled' : result.error.kind,
      'switchyard.stream': this.lease.stream,
    };
    if (result.ok === true && result.usage) {
      attributes['gen_ai.usage.input_tokens'] = result.usage.inputTokens;
      attributes['gen_ai.usage.output_tokens'] = result.usage.outputTokens;
    }
    if (result.ok === false) attributes['error.type'] = result.error.code;
    this.tracer.export({
      traceId: this.parent.traceId,
      spanId: this.spanId,
      parentSpanId: this.parent.spanId,
      name: `chat ${t.model}`,
      kind: 3,
      startMs: this.startMs,
      endMs: this.tracer.time(),
      attributes,
      status: result.ok === false ? { code: 2, message: result.error.code } : { code: 1 },
    });
  }
}
