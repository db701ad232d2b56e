/** A finished span, as the exporter sends it (OTLP's Span, in its JSON mapping's terms). */
export type AttributeValue = string | number | boolean;

export interface FinishedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind: 2 server (the client's request), 3 client (an upstream attempt). */
  kind: 2 | 3;
  startMs: number;
  endMs: number;
  attributes: Record<string, AttributeValue>;
  /** OTLP status code: 1 ok, 2 error; `message` for errors. */
  status: { code: 1 | 2; message?: string };
}
