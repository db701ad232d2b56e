/**
 * One handler for every client chat format: decode -> route -> upstream ->
 * encode. One deadline covers every attempt; the router decides which target
 * and whether another attempt may go out. When the client's format is the
 * upstream's, bytes are forwarded untouched (DESIGN.md performance discipline).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError, isStackOverflow, nestedTooDeeply } from '../core/errors.js';
import type { IngressFormat } from '../formats/types.js';
import { clientDeadlineMs, Deadline } from '../routing/deadline.js';
import type { AttemptRecord } from '../routing/no-target-error.js';
import { openStreamTo, withTimer, type OpenedStream } from '../routing/open-stream.js';
import { DEFAULT_POLICY } from '../routing/policy.js';
import type { Route, Target } from '../routing/route-table.js';
import type { RunResult } from '../routing/router.js';
import type { ChatRequest } from '../core/request.js';
import type { ChatResult, UpstreamStream } from '../providers/types.js';
import { openChatStream } from '../providers/open-chat-stream.js';
import type { SignalLike } from '../core/cancel.js';
import type { Sink } from '../core/sink.js';
import { readJsonBody, type JsonBody } from './body.js';
import { clientGoneError } from './request-scope.js';
import type { GatewayContext, RequestScope } from './context.js';
import { sendBytes, sendFailure, sendJson } from './respond.js';
import { pumpStream } from './stream-pump.js';
import { targetHeaders } from './target-headers.js';


function attemptTimeout(label: string, ms: number): GatewayError {
  return new GatewayError({ code: 'upstream_timeout', message: `${label} did not answer within ${ms / 1000}s.`, status: 504, kind: 'timeout', provider: label });
}

/** A stream that lost a hedge race. Module-level on purpose: a closure here would tie the request's state to the options object. */
function discardStream(o: OpenedStream): void {
  o.stream.cancel(clientGoneError());
}

/**
 * A chat request, as one object: while the upstream thinks, the request is this state and the
 * continuations of its promises, not a suspended async function's whole frame (with hundreds of
 * requests in flight, what each holds is what every young-generation collection copies).
 */
export function handleChat(ctx: GatewayContext, ingress: IngressFormat, req: IncomingMessage, res: ServerResponse, scope: RequestScope): void {
  const call = new ChatCall(ctx, ingress, res, scope);
  // Every step ends in the call: nothing returns a promise for another to adopt, and fail() never throws.
  void readJsonBody(req, ctx.config.server.maxBodyBytes).then(
    (body) => call.begin(req, body),
    (e: unknown) => call.fail(e),
  );
}

class ChatCall implements Sink<RunResult<OpenedStream>> {
  /** The attempts so far, for the failure's headers once the router has answered. */
  private attempts: AttemptRecord[] = [];
  private deadline: Deadline | undefined = undefined;
  /** A streamed request, decoded, and its route: what the stream needs once its first token is in. */
  private chatReq: ChatRequest | undefined = undefined;
  private route: Route | undefined = undefined;

  constructor(
    private readonly ctx: GatewayContext,
    private readonly ingress: IngressFormat,
    private readonly res: ServerResponse,
    private readonly scope: RequestScope,
  ) {}

  /** The body is in: decode, route, and send the first attempt on its way. */
  begin(req: IncomingMessage, { value: body, text }: JsonBody): void {
    const { ctx, ingress, res, scope } = this;
    try {
      const chatReq = ingress.decodeRequest(body);
      const route = ctx.routes.resolve(chatReq.model);
      const policy = route.policy ?? DEFAULT_POLICY;
      const d = (this.deadline = new Deadline(ctx.clock, clientDeadlineMs(req.headers['x-stainless-timeout'], policy.deadlineMs)));
      // The client going away ends the request like a deadline: whatever is in flight is cancelled.
      if (res.destroyed) d.abort(clientGoneError());
      else scope.cancel = d;
      const original = { format: ingress.name, body, text };

      if (!chatReq.stream) {
        void ctx.router
          .run(
            route,
            (t, signal) => withTimer(ctx.clock, policy.jsonTimeoutMs, signal, () => attemptTimeout(t.label, policy.jsonTimeoutMs), (s) => t.provider.chat(chatReq, t.model, { signal: s, original })),
            { signal: d.signal, deadlineAt: d.at, stream: false },
          )
          .then(
            (out) => this.answer(chatReq, out),
            (e: unknown) => this.fail(e),
          );
        return;
      }

      const timeouts = { ttftMs: policy.ttftTimeoutMs, idleMs: policy.idleTimeoutMs };
      const upstream = (t: Target, s: SignalLike, to: Sink<UpstreamStream>) => openChatStream(t.provider, chatReq, t.model, { signal: s, original }, to);
      // The call itself is told when the first token is in (or why nothing could serve): no promise waits with the upstream.
      this.chatReq = chatReq;
      this.route = route;
      ctx.router.runTo<OpenedStream>(
        route,
        (t, signal, to) => openStreamTo(ctx.clock, t, timeouts, signal, upstream, to),
        { signal: d.signal, deadlineAt: d.at, stream: true, discard: discardStream },
        this,
      );
    } catch (e) {
      this.fail(isStackOverflow(e) ? nestedTooDeeply() : e);
    }
  }

  /** A whole answer: as it came when the client speaks the upstream's format, else translated. */
  private answer(chatReq: ChatRequest, out: RunResult<ChatResult>): void {
    const { ctx, ingress, res, scope } = this;
    try {
      this.attempts = out.attempts;
      out.lease.settle({ ok: true, ttftMs: ctx.clock.now() - out.lease.startedAt });
      const headers = targetHeaders(scope, out.lease.target, out.attempts);
      if (out.value.format === ingress.name) sendBytes(res, 200, out.value.raw, headers);
      else sendJson(res, 200, ingress.encodeResponse(out.value.response, chatReq), headers);
      this.finish();
    } catch (e) {
      this.fail(e);
    }
  }

  /** @internal a stream with its first token (the router's Sink): headers go out with the first bytes of the answer (one write, not two). */
  done(out: RunResult<OpenedStream>): void {
    const { ctx, ingress, res, scope, chatReq, route, deadline } = this;
    try {
      this.attempts = out.attempts;
      const headers = targetHeaders(scope, out.lease.target, out.attempts);
      headers['content-type'] = 'text/event-stream; charset=utf-8';
      headers['cache-control'] = 'no-cache';
      // No Connection header of our own: node keeps HTTP/1.1 connections alive by itself, and closes
      // after the answer for HTTP/1.0 clients and those that asked to (the only way they see its end).
      res.writeHead(200, headers);
      void pumpStream({ ctx, ingress, chatReq: chatReq!, route: route!, res, deadline: deadline!, requestId: scope.id }, out).then(
        () => this.finish(),
        (e: unknown) => this.fail(e),
      );
    } catch (e) {
      this.fail(e);
    }
  }

  /** @internal nothing could serve the stream (the router's Sink). */
  failed(e: unknown): void {
    this.fail(e);
  }

  /**
   * Any failure: the client's own error shape (or the stream's error event), then done. It never
   * throws: it ends every chain of the call, and nothing after it would catch.
   */
  fail(e: unknown): void {
    try {
      sendFailure(this.ctx, this.ingress, this.res, this.scope, e, this.attempts);
    } catch (e2) {
      this.ctx.logger.error({ err: e2, requestId: this.scope.id }, 'unhandled error in handler');
      this.res.destroy();
    } finally {
      this.finish();
    }
  }

  private finish(): void {
    this.deadline?.dispose();
  }
}
