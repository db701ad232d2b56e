/**
 * One client request as the server sees it, and its end: a client gone before
 * the answer ended cancels the work, then the access line is written. The
 * 'close' listener is one module-level function reading the scope off the
 * response (the hot-path rule: core/sink.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestAborted } from '../core/errors.js';
import type { RequestScope } from './context.js';
import type { Admission } from '../guard/request-admission.js';
import type { GatewayError } from '../core/errors.js';
import type { Target } from '../routing/route-table.js';
import type { RequestSpan } from '../telemetry/tracer.js';
import type { ObservedRequest } from './request-observer.js';

const SCOPE = Symbol('switchyard.requestScope');

type WithScope = ServerResponse & { [SCOPE]?: Scope };

export class Scope implements RequestScope, ObservedRequest {
  provider?: string | undefined;
  attempts?: number | undefined;
  reason?: string | undefined;
  cancel?: { abort(reason: unknown): void };
  admission?: Admission;
  status = 0;
  ms = 0;
  aborted = false;
  alias?: string;
  answeredBy?: Target;
  error?: GatewayError;
  trace?: RequestSpan;
  /** The client format of a model route (metrics); undefined for the others. */
  ingress?: string;
  firstTokenMs?: number;
  readonly method: string;
  private readonly started = performance.now();

  constructor(
    readonly id: string,
    readonly path: string,
    req: IncomingMessage,
    private readonly access: (e: ObservedRequest) => void,
  ) {
    this.method = req.method!;
  }

  get requestId(): string {
    return this.id;
  }

  firstToken(): void {
    this.firstTokenMs ??= performance.now() - this.started;
  }

  /** Watch `res` for its end: cancel in-flight work if the client left, then write the access line. */
  watch(res: ServerResponse): void {
    (res as WithScope)[SCOPE] = this;
    res.on('close', onResponseClose);
  }

  /** @internal */
  closed(res: ServerResponse): void {
    this.aborted = !res.writableFinished;
    if (this.aborted) this.cancel?.abort(requestAborted());
    this.admission?.release();
    // A client gone before any answer went out: 499 (nginx's "client closed request"), not the 200 node presets.
    this.status = this.aborted && !res.headersSent ? 499 : res.statusCode;
    this.ms = Math.round((performance.now() - this.started) * 10) / 10;
    this.access(this);
  }
}

function onResponseClose(this: ServerResponse): void {
  const scope = (this as WithScope)[SCOPE];
  if (!scope) return;
  (this as WithScope)[SCOPE] = undefined;
  scope.closed(this);
}
