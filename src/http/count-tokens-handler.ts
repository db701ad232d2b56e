/**
 * POST /v1/messages/count_tokens (Anthropic "Count tokens in a message"): `{input_tokens}`.
 * When the alias's first target can count (an Anthropic provider), its own count
 * is the answer; otherwise, or when that target can't answer right now, a
 * documented estimate (core/token-estimate.ts). `x-switchyard-token-count` says which
 * (`upstream` or `estimated`), so a client never mistakes an estimate for a count.
 * Not routed through the router: counting is not chat traffic and must not
 * spend the retry budget or move breakers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isStackOverflow, nestedTooDeeply, toGatewayError } from '../core/errors.js';
import type { IngressFormat } from '../formats/types.js';
import { DEFAULT_SERVER_HARDENING } from '../config/server-hardening-schema.js';
import { readJsonBody } from './body.js';
import type { GatewayContext, RequestScope } from './context.js';
import { sendFailure, sendJson } from './respond.js';
import { estimateInputTokens } from '../core/token-estimate.js';

/** Counting is a quick call; a slow upstream gets an estimate instead of holding the client. */
const COUNT_TIMEOUT_MS = 10_000;

export async function handleCountTokens(ctx: GatewayContext, ingress: IngressFormat, req: IncomingMessage, res: ServerResponse, scope: RequestScope): Promise<void> {
  const requestId = scope.id;
  const controller = new AbortController();
  scope.cancel = controller;
  try {
    const body = (await readJsonBody(req, ctx.config.server.maxBodyBytes, ctx.clock, (ctx.config.server.hardening ?? DEFAULT_SERVER_HARDENING).bodyReadTimeoutMs)).value;
    // Validated like /v1/messages, except that count_tokens takes no max_tokens (nor stream).
    const chatReq = ingress.decodeRequest({ ...body, max_tokens: 1, stream: false });
    const route = ctx.routes.resolve(chatReq.model);
    const target = route.targets[0];
    if (target?.provider.countTokens) {
      try {
        const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(COUNT_TIMEOUT_MS)]);
        const n = await target.provider.countTokens(chatReq, target.model, { signal, original: { format: ingress.name, body } });
        const headers = { 'x-request-id': requestId, 'x-switchyard-provider': target.provider.name, 'x-switchyard-model': target.model };
        sendJson(res, 200, { input_tokens: n }, { ...headers, 'x-switchyard-token-count': 'upstream' });
        return;
      } catch (e) {
        const err = toGatewayError(e);
        // The request itself is wrong (per the provider): the client must hear it. Anything else
        // (overloaded, down, timed out) must not fail a request we can still answer approximately.
        if (err.kind === 'client_error' || controller.signal.aborted) throw err;
        ctx.logger.warn({ requestId, provider: target.provider.name, code: err.code, kind: err.kind }, 'count_tokens upstream failed; answering an estimate');
      }
    }
    sendJson(res, 200, { input_tokens: estimateInputTokens(chatReq) }, { 'x-request-id': requestId, 'x-switchyard-token-count': 'estimated' });
  } catch (e) {
    sendFailure(ctx, ingress, res, scope, isStackOverflow(e) ? nestedTooDeeply() : e, []);
  }
}
