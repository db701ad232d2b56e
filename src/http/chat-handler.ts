/**
 * One handler for every client chat format: decode -> route -> upstream ->
 * encode. One deadline covers every attempt; the router decides which target
 * and whether another attempt may go out. When the client's format is the
 * upstream's, bytes are forwarded untouched (DESIGN.md performance discipline).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../core/errors.js';
import type { IngressFormat } from '../formats/types.js';
import { clientDeadlineMs, Deadline } from '../routing/deadline.js';
import type { AttemptRecord } from '../routing/no-target-error.js';
import { openStream, withTimer, type OpenedStream } from '../routing/open-stream.js';
import { DEFAULT_POLICY } from '../routing/policy.js';
import type { Target } from '../routing/route-table.js';
import type { SignalLike } from '../core/cancel.js';
import { readJsonBody } from './body.js';
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

export async function handleChat(ctx: GatewayContext, ingress: IngressFormat, req: IncomingMessage, res: ServerResponse, scope: RequestScope): Promise<void> {
  const requestId = scope.id;
  let attempts: AttemptRecord[] = [];
  let deadline: Deadline | undefined;
  try {
    const { value: body, text } = await readJsonBody(req, ctx.config.server.maxBodyBytes);
    const chatReq = ingress.decodeRequest(body);
    const route = ctx.routes.resolve(chatReq.model);
    const policy = route.policy ?? DEFAULT_POLICY;
    const d = (deadline = new Deadline(ctx.clock, clientDeadlineMs(req.headers['x-stainless-timeout'], policy.deadlineMs)));
    // The client going away ends the request like a deadline: whatever is in flight is cancelled.
    if (res.destroyed) d.abort(clientGoneError());
    else scope.cancel = d;
    const original = { format: ingress.name, body, text };

    if (!chatReq.stream) {
      const out = await ctx.router.run(
        route,
        (t, signal) => withTimer(ctx.clock, policy.jsonTimeoutMs, signal, () => attemptTimeout(t.label, policy.jsonTimeoutMs), (s) => t.provider.chat(chatReq, t.model, { signal: s, original })),
        { signal: d.signal, deadlineAt: d.at, stream: false },
      );
      attempts = out.attempts;
      out.lease.settle({ ok: true, ttftMs: ctx.clock.now() - out.lease.startedAt });
      const headers = targetHeaders(scope, out.lease.target, out.attempts);
      if (out.value.format === ingress.name) sendBytes(res, 200, out.value.raw, headers);
      else sendJson(res, 200, ingress.encodeResponse(out.value.response, chatReq), headers);
      return;
    }

    const timeouts = { ttftMs: policy.ttftTimeoutMs, idleMs: policy.idleTimeoutMs };
    const upstream = (t: Target, s: SignalLike) => t.provider.chatStream(chatReq, t.model, { signal: s, original });
    const out = await ctx.router.run<OpenedStream>(
      route,
      (t, signal) => openStream(ctx.clock, t, timeouts, signal, upstream),
      { signal: d.signal, deadlineAt: d.at, stream: true, discard: discardStream },
    );
    attempts = out.attempts;
    // Headers go out with the first bytes of the answer (one write, not two).
    const headers = targetHeaders(scope, out.lease.target, out.attempts);
    headers['content-type'] = 'text/event-stream; charset=utf-8';
    headers['cache-control'] = 'no-cache';
    // No Connection header of our own: node keeps HTTP/1.1 connections alive by itself, and closes
    // after the answer for HTTP/1.0 clients and those that asked to (the only way they see its end).
    res.writeHead(200, headers);
    await pumpStream({ ctx, ingress, chatReq, route, res, deadline, requestId }, out);
  } catch (e) {
    sendFailure(ctx, ingress, res, scope, e, attempts);
  } finally {
    deadline?.dispose();
  }
}
