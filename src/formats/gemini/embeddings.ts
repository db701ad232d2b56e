/**
 * Embeddings over Gemini's `models/{model}:batchEmbedContents`: one request
 * per input, each naming the model again (`models/<id>`, which must match the
 * URL's). Answer: `{embeddings: [{values: [...]}, ...]}` in input order.
 * Gemini reports no token usage for embeddings, so input tokens are estimated
 * at ~4 characters per token.
 */
import { gatewayError, GatewayError } from '../../core/errors.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../../core/embedding.js';

/** `text-embedding-004` -> `models/text-embedding-004` (a `models/` prefix is kept as given). */
export function resourceName(model: string): string {
  return model.startsWith('models/') || model.startsWith('tunedModels/') ? model : `models/${model}`;
}

export function encodeEmbeddingRequest(req: EmbeddingRequest, model: string): Record<string, unknown> {
  const name = resourceName(model);
  return {
    requests: req.input.map((text) => {
      const r: Record<string, unknown> = { model: name, content: { parts: [{ text }] } };
      if (req.dimensions !== undefined) r.outputDimensionality = req.dimensions;
      return r;
    }),
  };
}

function malformed(why: string): GatewayError {
  return gatewayError('upstream_malformed', `Gemini embeddings answer ${why}.`);
}

export function decodeEmbeddingResponse(body: unknown, req: EmbeddingRequest): EmbeddingResponse {
  const list = typeof body === 'object' && body !== null ? (body as { embeddings?: unknown }).embeddings : undefined;
  if (!Array.isArray(list)) throw malformed('has no embeddings list');
  if (list.length !== req.input.length) throw malformed(`has ${list.length} embeddings for ${req.input.length} inputs`);
  const embeddings = list.map((e) => {
    const values = typeof e === 'object' && e !== null ? (e as { values?: unknown }).values : undefined;
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'number')) throw malformed('has an embedding without numeric values');
    return values as number[];
  });
  const inputTokens = req.input.reduce((n, s) => n + Math.ceil(s.length / 4), 0);
  return { model: req.model, embeddings, usage: { inputTokens } };
}
