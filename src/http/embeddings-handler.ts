/** POST /v1/embeddings (OpenAI shape in and out, any embeddings-capable target). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmbeddingIngress, IngressFormat } from '../formats/types.js';
import { failover, type AttemptRecord } from '../routing/failover.js';
import { readJsonBody } from './body.js';
import type { GatewayContext } from './context.js';
import { sendFailure, sendJson } from './respond.js';
import { targetHeaders } from './target-headers.js';

export async function handleEmbeddings(
  ctx: GatewayContext,
  ingress: IngressFormat & EmbeddingIngress,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  let attempts: AttemptRecord[] = [];
  try {
    const body = await readJsonBody(req, ctx.config.server.maxBodyBytes);
    const embReq = ingress.decodeEmbeddingRequest(body);
    const route = ctx.routes.resolve(embReq.model);
    const out = await failover(route, (t) => t.provider.embed(embReq, t.model, { signal: controller.signal }), ctx.statusPage);
    attempts = out.attempts;
    sendJson(res, 200, ingress.encodeEmbeddingResponse(out.value, embReq), targetHeaders(requestId, out.target, out.attempts));
  } catch (e) {
    sendFailure(ctx, ingress, res, requestId, e, attempts);
  }
}
