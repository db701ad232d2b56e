/**
 * Sends finished spans to an OpenTelemetry collector over OTLP/HTTP with the JSON encoding
 * (POST {endpoint}/v1/traces, https://opentelemetry.io/docs/specs/otlp/#otlphttp): in batches, off
 * the request path, from a bounded queue. A collector that is down or slow costs dropped spans
 * (counted), never memory without bound and never a request's latency.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import { otlpAttributes, postOtlp, unixNanos } from './otlp-http.js';
import type { FinishedSpan } from './span.js';

export interface OtlpExporterOptions {
  /** The collector's base URL (http://otel-collector:4318). */
  endpoint: string;
  serviceName: string;
  /** The gateway's clock: the send timer is one of its timers (closed with it; a test moves it). */
  clock: Clock;
  /** Spans waiting beyond this are dropped. Default 4096. */
  maxQueue?: number;
  /** Spans per POST. Default 512. */
  maxBatch?: number;
  /** How often the queue is sent. Default 1000 ms. */
  intervalMs?: number;
  /** One POST's limit. Default 10 s. */
  timeoutMs?: number;
  /** A failed export (logged by the owner, at most once per failure streak). */
  onError?: (e: unknown) => void;
}

export class OtlpExporter {
  private queue: FinishedSpan[] = [];
  private readonly url: string;
  private timer: TimerHandle | undefined;
  private sending: Promise<void> | undefined = undefined;
  private failing = false;
  dropped = 0;
  exported = 0;

  constructor(private readonly opts: OtlpExporterOptions) {
    this.url = `${opts.endpoint}/v1/traces`;
    this.timer = opts.clock.setTimeout(tick, opts.intervalMs ?? 1000, this);
  }

  /** @internal the timer's turn: the next one is armed first, so a slow collector never stops them. */
  tick(): void {
    this.timer = this.opts.clock.setTimeout(tick, this.opts.intervalMs ?? 1000, this);
    void this.flush();
  }

  /** On the request path: one push (or a count, when the queue is full). */
  add(span: FinishedSpan): void {
    if (this.queue.length >= (this.opts.maxQueue ?? 4096)) {
      this.dropped++;
      return;
    }
    this.queue.push(span);
  }

  /** Send what waits, one batch after another; resolves when the queue is empty (or a POST failed). */
  flush(): Promise<void> {
    return (this.sending ??= this.sendAll().finally(() => (this.sending = undefined)));
  }

  private async sendAll(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.opts.maxBatch ?? 512);
      try {
        await postOtlp(this.url, this.payload(batch), this.opts.timeoutMs ?? 10_000);
        this.exported += batch.length;
        this.failing = false;
      } catch (e) {
        this.dropped += batch.length;
        if (!this.failing) this.opts.onError?.(e);
        this.failing = true;
        return;
      }
    }
  }

  /** Stop the timer and send what is left. */
  async close(): Promise<void> {
    if (this.timer !== undefined) this.opts.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private payload(spans: FinishedSpan[]): unknown {
    return {
      resourceSpans: [
        {
          resource: { attributes: otlpAttributes({ 'service.name': this.opts.serviceName }) },
          scopeSpans: [{ scope: { name: 'switchyard' }, spans: spans.map(otlpSpan) }],
        },
      ],
    };
  }
}

/** OTLP/JSON: ids as hex, enums as numbers. */
function otlpSpan(s: FinishedSpan): unknown {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: unixNanos(s.startMs),
    endTimeUnixNano: unixNanos(s.endMs),
    attributes: otlpAttributes(s.attributes),
    status: s.status,
  };
}

function tick(exporter: OtlpExporter): void {
  exporter.tick();
}
