/**
 * Writing responses. `sendError` is the single place a GatewayError becomes an
 * HTTP response (DESIGN.md principle 5): the client's format shapes the body.
 */
import type { ServerResponse } from 'node:http';
import { gatewayError, toGatewayError, type GatewayError } from '../core/errors.js';
import type { IngressFormat } from '../formats/types.js';
import { NoTargetError, type AttemptRecord } from '../routing/no-target-error.js';
import type { RequestScope } from './context.js';
import type { Logger } from './logger.js';
import type { Redactor } from './redact.js';
import { targetHeaders } from './target-headers.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendBytes(res, status, Buffer.from(JSON.stringify(body)), { ...headers });
}

/** `headers` is the caller's own object (extended here, not copied). */
export function sendBytes(res: ServerResponse, status: number, bytes: Buffer, headers: Record<string, string> = {}): void {
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(bytes.length);
  res.writeHead(status, headers);
  res.end(bytes);
}

/** Errors the client sees keep the typed meaning and lose any secret. */
export function safeError(err: GatewayError, redactor: Redactor): GatewayError {
  const message = redactor.text(err.message);
  if (message === err.message) return err;
  return gatewayError(err.code, message, { ...err });
}

export function sendError(res: ServerResponse, format: Pick<IngressFormat, 'encodeError'>, err: GatewayError, redactor: Redactor, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const encoded = format.encodeError(safeError(err, redactor));
  sendJson(res, encoded.status, encoded.body, { ...headers, ...encoded.headers });
}

/** A request that failed before any byte was sent: log bugs, add transparency headers, answer in the client's shape. */
export function sendFailure(
  ctx: { logger: Logger; redactor: Redactor },
  format: Pick<IngressFormat, 'encodeError'>,
  res: ServerResponse,
  scope: RequestScope,
  e: unknown,
  attempts: AttemptRecord[],
  extraHeaders?: Record<string, string>,
): void {
  const err = toGatewayError(e);
  scope.error = err;
  // A client gone mid-request is its own doing: the access line says so (499), nothing more.
  if (err.code === 'request_aborted') return sendError(res, format, err, ctx.redactor);
  if (err.kind === 'internal') ctx.logger.error({ err: e, requestId: scope.id }, 'internal error');
  else if (err.kind !== 'client_error') ctx.logger.warn({ requestId: scope.id, code: err.code, kind: err.kind, status: err.status, provider: err.provider, message: ctx.redactor.text(err.message) }, 'request failed');
  const headers = targetHeaders(scope, undefined, e instanceof NoTargetError ? e.attempts : attempts);
  if (extraHeaders) Object.assign(headers, extraHeaders);
  if (err.retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(err.retryAfterMs / 1000));
  // The rest of a body that came too slowly is not waited for: node closes the connection after this answer.
  if (err.code === 'body_timeout') headers.connection = 'close';
  sendError(res, format, err, ctx.redactor, headers);
}
