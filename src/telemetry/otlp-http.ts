/**
 * What the span and metric exporters share of OTLP/HTTP with the JSON encoding
 * (https://opentelemetry.io/docs/specs/otlp/#otlphttp, #json-protobuf-encoding): one POST, the
 * attribute list, and 64-bit times as decimal strings.
 */
import type { AttributeValue } from './span.js';

/** POST one JSON export; rejects on a network error, a timeout or a non-2xx answer. */
export async function postOtlp(url: string, body: unknown, timeoutMs: number): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`the collector answered HTTP ${res.status}`);
}

/** OTLP/JSON KeyValue list: 64-bit integers as decimal strings. */
export function otlpAttributes(a: Readonly<Record<string, AttributeValue>>): unknown[] {
  return Object.entries(a).map(([key, v]) => ({
    key,
    value: typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v },
  }));
}

/** Epoch milliseconds as OTLP's fixed64 unix nanoseconds, in its JSON form (a string). */
export function unixNanos(ms: number): string {
  return (BigInt(Math.round(ms * 1000)) * 1000n).toString();
}
