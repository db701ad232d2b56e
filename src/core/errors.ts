/**
 * Errors are typed data that carry the routing decision (DESIGN.md principle 5).
 * They become HTTP in exactly one place per client format (the format's
 * `encodeError`), called only from src/http.
 */

import { ERROR_CODES, type ErrorCode, type ErrorKind } from './error-codes.js';

export type { ErrorCode, ErrorKind };

const RETRYABLE: Record<ErrorKind, boolean> = {
  client_error: false,
  auth: false,
  rate_limited: true,
  quota_exhausted: false,
  overloaded: true,
  transient: true,
  timeout: true,
  stalled: true,
  cut: true,
  unavailable: false,
  internal: false,
};

export interface GatewayErrorInit {
  /** Stable machine-readable code from the catalogue (core/error-codes.ts). */
  code: ErrorCode;
  message: string;
  status: number;
  kind: ErrorKind;
  /** Defaults by kind: may another attempt (on this or another target) succeed? */
  retryable?: boolean;
  /** The request field at fault, as the client named it (e.g. `messages[1].content`). */
  param?: string;
  /** How long the client (or the gateway, for that credential) should wait. */
  retryAfterMs?: number;
  /** Which provider/target produced it, for upstream errors. */
  provider?: string;
  upstreamStatus?: number;
  /** The upstream's own error type string (e.g. `insufficient_quota`, `overloaded_error`). */
  upstreamType?: string;
  /** The upstream's own error code, if different from its type. */
  upstreamCode?: string;
  /**
   * Raised before anything was sent upstream: this target cannot represent the
   * request (e.g. an image URL for Gemini). Another target of the route may.
   */
  notSent?: boolean;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  readonly param?: string;
  readonly retryAfterMs?: number;
  readonly provider?: string;
  readonly upstreamStatus?: number;
  readonly upstreamType?: string;
  readonly upstreamCode?: string;
  readonly notSent?: boolean;

  constructor(init: GatewayErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'GatewayError';
    this.code = init.code;
    this.status = init.status;
    this.kind = init.kind;
    this.retryable = init.retryable ?? RETRYABLE[init.kind];
    if (init.param !== undefined) this.param = init.param;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.provider !== undefined) this.provider = init.provider;
    if (init.upstreamStatus !== undefined) this.upstreamStatus = init.upstreamStatus;
    if (init.upstreamType !== undefined) this.upstreamType = init.upstreamType;
    if (init.upstreamCode !== undefined) this.upstreamCode = init.upstreamCode;
    if (init.notSent) this.notSent = true;
  }
}

export function isGatewayError(e: unknown): e is GatewayError {
  return e instanceof GatewayError;
}

/** A 400 naming the offending field. */
export function invalidRequest(message: string, param?: string, code: ErrorCode = 'invalid_request'): GatewayError {
  return gatewayError(code, message, param === undefined ? {} : { param });
}

/** A stack overflow: what recursing into JSON nested thousands of levels deep ends in. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && e.message.includes('call stack');
}

/**
 * The client's body is nested too deeply to decode or translate (its JSON overflowed the stack
 * on the way): a 400, the request's doing. Nothing was sent upstream, so no target is blamed.
 */
export function nestedTooDeeply(provider?: string): GatewayError {
  return gatewayError('nested_too_deeply', 'The request body is nested too deeply to process (JSON nested thousands of levels deep).', { notSent: true, ...(provider === undefined ? {} : { provider }) });
}

/** Wrap anything thrown into a GatewayError without losing it. */
export function toGatewayError(e: unknown): GatewayError {
  if (e instanceof GatewayError) return e;
  return gatewayError('internal_error', 'The gateway hit an unexpected error while handling this request.', { cause: e });
}

/**
 * Classify an upstream HTTP status when the body says nothing more specific.
 * Formats refine this with the provider's own error type (e.g. insufficient_quota).
 */
export function kindForStatus(status: number): ErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status === 529 || status === 503) return 'overloaded';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'transient';
  return 'client_error';
}

/** Parse Retry-After (seconds or HTTP date) and retry-after-ms into milliseconds. */
export function retryAfterFromHeaders(get: (name: string) => string | undefined, now = Date.now()): number | undefined {
  const ms = get('retry-after-ms');
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = get('retry-after');
  if (ra === undefined || ra.trim() === '') return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(ra);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

const UPSTREAM_CODE: Record<ErrorKind, ErrorCode> = {
  client_error: 'upstream_invalid_request',
  auth: 'upstream_auth_failed',
  rate_limited: 'upstream_rate_limited',
  quota_exhausted: 'upstream_quota_exhausted',
  overloaded: 'upstream_overloaded',
  transient: 'upstream_error',
  timeout: 'upstream_timeout',
  stalled: 'upstream_stalled',
  cut: 'upstream_cut',
  unavailable: 'upstream_unavailable',
  internal: 'upstream_error',
};

/** The stable code for an error an upstream returned, by kind: one table for every wire format. */
export function upstreamCode(kind: ErrorKind): ErrorCode {
  return UPSTREAM_CODE[kind];
}

/** An error by its catalogued code: status and kind from the catalogue unless `extra` says otherwise (an upstream's own status is kept). */
export function gatewayError(code: ErrorCode, message: string, extra: Partial<Omit<GatewayErrorInit, 'code' | 'message'>> = {}): GatewayError {
  const c = ERROR_CODES[code];
  return new GatewayError({ status: c.status, kind: c.kind, ...extra, code, message });
}

/** The request's work is cancelled: the client went away, or an attempt was abandoned. Never retried. */
export function requestAborted(message = 'The client closed the request.', provider?: string, cause?: unknown): GatewayError {
  return gatewayError('request_aborted', message, { retryable: false, ...(provider === undefined ? {} : { provider }), ...(cause === undefined ? {} : { cause }) });
}

/** The request's one deadline passed. */
export function deadlineExceeded(budgetMs: number): GatewayError {
  return gatewayError('deadline_exceeded', `No answer within the request's deadline of ${Math.round(budgetMs / 100) / 10}s.`, { retryable: false });
}
