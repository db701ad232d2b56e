/**
 * One handler for every client chat format: decode -> route -> upstream ->
 * encode. When the client's format is the upstream's, bytes are forwarded
 * untouched (DESIGN.md performance discipline); otherwise every event goes
 * through the canonical model.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toGatewayError } from '../core/errors.js';
import type { IngressFormat, StreamEncoder } from '../formats/types.js';
import { failover, type AttemptRecord } from '../routing/failover.js';
import type { ChatRequest } from '../core/request.js';
import type { UpstreamStream } from '../providers/types.js';
import { readJsonBody } from './body.js';
import type { GatewayContext } from './context.js';
import { safeError, sendBytes, sendFailure, sendJson, write } from './respond.js';
import { targetHeaders } from './target-headers.js';

export async function handleChat(ctx: GatewayContext, ingress: IngressFormat, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  let attempts: AttemptRecord[] = [];
  try {
    const body = await readJsonBody(req, ctx.config.server.maxBodyBytes);
    const chatReq = ingress.decodeRequest(body);
    const route = ctx.routes.resolve(chatReq.model);
    const callCtx = { signal: controller.signal, original: { format: ingress.name, body } };
    if (!chatReq.stream) {
      const out = await failover(route, (t) => t.provider.chat(chatReq, t.model, callCtx), ctx.statusPage);
      attempts = out.attempts;
      const headers = targetHeaders(requestId, out.target, out.attempts);
      if (out.value.format === ingress.name) sendBytes(res, 200, out.value.raw, headers);
      else sendJson(res, 200, ingress.encodeResponse(out.value.response, chatReq), headers);
      return;
    }
    const out = await failover(route, (t) => t.provider.chatStream(chatReq, t.model, callCtx), ctx.statusPage);
    attempts = out.attempts;
    res.writeHead(200, {
      ...targetHeaders(requestId, out.target, out.attempts),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    await pipeStream(ctx, ingress, chatReq, out.value, res);
  } catch (e) {
    sendFailure(ctx, ingress, res, requestId, e, attempts);
  }
}

/** Stream an open upstream to the client; every ending is the format's proper end or a proper error. */
async function pipeStream(ctx: GatewayContext, ingress: IngressFormat, chatReq: ChatRequest, upstream: UpstreamStream, res: ServerResponse): Promise<void> {
  const passthrough = upstream.format === ingress.name;
  let encoder: StreamEncoder | undefined = passthrough ? undefined : ingress.createStreamEncoder(chatReq);
  try {
    for await (const chunk of upstream) {
      if (res.destroyed) {
        upstream.cancel();
        return;
      }
      if (passthrough) {
        await write(res, chunk.raw);
      } else {
        let out = '';
        for (const ev of chunk.events) out += encoder!.encode(ev);
        await write(res, out);
      }
    }
    res.end(encoder ? encoder.end() : '');
  } catch (e) {
    upstream.cancel();
    if (res.destroyed) return;
    const err = safeError(toGatewayError(e), ctx.redactor);
    encoder ??= ingress.createStreamEncoder(chatReq);
    // DESIGN.md principle 6: an error after headers is an event in the client's protocol, never a clean end.
    res.end(encoder.error(err));
  }
}
