/** POST /v1/embeddings (OpenAI shape in and out, any embeddings-capable target). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmbeddingIngress, IngressFormat } from '../formats/types.js';
import type { AttemptRecord } from '../routing/no-target-error.js';
import { Cancel } from '../core/cancel.js';
import type { EmbeddingResponse } from '../core/embedding.js';
import { tell, toPromise } from '../core/sink.js';
import type { RunResult } from '../routing/attempt.js';
import { DEFAULT_SERVER_HARDENING } from '../config/server-hardening-schema.js';
import { readJsonBody } from './body.js';
import type { GatewayContext, RequestScope } from './context.js';
import { sendFailure, sendJson } from './respond.js';
import { targetHeaders } from './target-headers.js';

export async function handleEmbeddings(
  ctx: GatewayContext,
  ingress: IngressFormat & EmbeddingIngress,
  req: IncomingMessage,
  res: ServerResponse,
  scope: RequestScope,
): Promise<void> {
  const controller = new Cancel();
  scope.cancel = controller;
  let attempts: AttemptRecord[] = [];
  try {
    const body = (await readJsonBody(req, ctx.config.server.maxBodyBytes, ctx.clock, (ctx.config.server.hardening ?? DEFAULT_SERVER_HARDENING).bodyReadTimeoutMs)).value;
    const embReq = ingress.decodeEmbeddingRequest(body);
    const route = ctx.routes.resolve(embReq.model);
    const out = await toPromise<RunResult<EmbeddingResponse>>((to) =>
      ctx.router.route<EmbeddingResponse>(route, (t, signal, sink) => tell(t.provider.embed(embReq, t.model, { signal }), sink), { signal: controller.signal, stream: false }, to),
    );
    attempts = out.attempts;
    out.lease.settle({ ok: true });
    sendJson(res, 200, ingress.encodeEmbeddingResponse(out.value, embReq), targetHeaders(scope, out.lease.target, out.attempts));
  } catch (e) {
    sendFailure(ctx, ingress, res, scope, e, attempts);
  }
}
