/**
 * A scenario's fault as written (`{ status: 503 }`, `{ cut_after: 5 }`...) -> the simulator
 * fault it means, and the same fault for a request that asked for a JSON answer: a mid-stream
 * failure has no stream to break there, so it becomes what a JSON client sees of it (a dropped
 * connection, a stall before any byte, a slow answer, a body that does not parse).
 */
import type { SimFault } from '../sim/faults.js';
import type { FaultSpec } from './scenario.js';
import type { RawFault } from './scenario-schema.js';
import { parseDuration } from './scenario-time.js';

const forever = (v: string | number | undefined): number | undefined => (v === undefined || v === 'forever' ? undefined : parseDuration(v));

export function toFaultSpec(f: RawFault): FaultSpec {
  return { share: f.share ?? 1, fault: simFault(f), label: label(f) };
}

function simFault(f: RawFault): SimFault | 'overloaded' {
  if (f.overloaded) return 'overloaded';
  if (f.status !== undefined) {
    if (f.body !== undefined) return { kind: 'body', status: f.status, body: f.body, ...(f.content_type ? { contentType: f.content_type } : {}) };
    const retry = f.retry_after === undefined ? undefined : Math.round(parseDuration(f.retry_after)! / 1000);
    return { kind: 'status', status: f.status, ...(retry === undefined ? {} : { retryAfterSeconds: retry }), ...(f.quota ? { variant: 'quota' as const } : {}) };
  }
  if (f.edge !== undefined) return { kind: 'edge-html', status: f.edge };
  if (f.refuse) return { kind: 'reset' };
  if (f.stall !== undefined) {
    const ms = forever(f.stall);
    return ms === undefined ? { kind: 'stall-before-first-byte' } : { kind: 'stall-before-first-byte', ms };
  }
  if (f.stall_after !== undefined) {
    const ms = forever(f.for);
    return ms === undefined ? { kind: 'stall-after', after: f.stall_after } : { kind: 'stall-after', after: f.stall_after, ms };
  }
  if (f.cut_after !== undefined) return { kind: 'cut-after', after: f.cut_after };
  if (f.malformed_after !== undefined) return { kind: 'malformed-after', after: f.malformed_after, ...(f.continue ? { continue: true } : {}) };
  if (f.error_event_after !== undefined) return { kind: 'error-after', after: f.error_event_after };
  return { kind: 'trickle', chunkDelayMs: parseDuration(f.trickle)! };
}

function label(f: RawFault): string {
  for (const [key, value] of Object.entries(f)) {
    if (key === 'share') continue;
    return value === true ? key : `${key} ${String(value)}`;
  }
  return 'fault';
}

/** A JSON answer has no stream to break: a cut drops the connection, a stall holds the answer, a bad frame is a bad body. */
export function forJsonAnswer(f: SimFault): SimFault | 'overloaded' {
  switch (f.kind) {
    case 'cut-after':
    case 'oversized-after':
      return { kind: 'reset' };
    case 'stall-after':
      return f.ms === undefined ? { kind: 'stall-before-first-byte' } : { kind: 'stall-before-first-byte', ms: f.ms };
    case 'malformed-after':
      return { kind: 'body', status: 200, body: '{"id":"sim","choices":[{"message":{"content":"oo' };
    case 'error-after':
      return 'overloaded';
    default:
      return f;
  }
}
