/**
 * POST /v1/embeddings, both directions (API reference: CreateEmbeddingRequest,
 * CreateEmbeddingResponse). `encoding_format: "base64"` is the little-endian
 * float32 bytes of each vector, base64-encoded; the openai-node SDK asks for it
 * by default when the caller doesn't choose, and decodes it itself.
 */
import { gatewayError, GatewayError, invalidRequest } from '../../core/errors.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../../core/embedding.js';
import { describe, isObject, optInteger, optString, requireString } from './validate.js';

export function decodeEmbeddingRequest(body: unknown): EmbeddingRequest {
  if (!isObject(body)) throw invalidRequest(`The request body must be a JSON object, but got ${describe(body)}.`);
  const model = requireString(body.model, 'model');
  const raw = body.input;
  let input: string[];
  if (raw === undefined || raw === null) throw invalidRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  if (typeof raw === 'string') input = [raw];
  else if (Array.isArray(raw)) {
    if (raw.length === 0) throw invalidRequest("Invalid 'input': expected a non-empty string or array of strings.", 'input');
    if (raw.some((x) => typeof x === 'number' || Array.isArray(x))) {
      throw invalidRequest("Invalid 'input': token-array inputs are not supported by this gateway (different providers tokenize differently); send the text instead.", 'input', 'unsupported_parameter');
    }
    input = raw.map((x, i) => requireString(x, `input[${i}]`));
  } else {
    throw invalidRequest(`Invalid type for 'input': expected a string or an array of strings, but got ${describe(raw)}.`, 'input');
  }
  const req: EmbeddingRequest = { model, input };
  const fmt = optString(body.encoding_format, 'encoding_format');
  if (fmt !== undefined) {
    if (fmt !== 'float' && fmt !== 'base64') {
      throw invalidRequest(`Invalid value for 'encoding_format': '${fmt}'. Supported values are: 'float' and 'base64'.`, 'encoding_format');
    }
    req.encodingFormat = fmt;
  }
  const dimensions = optInteger(body.dimensions, 'dimensions', 1);
  if (dimensions !== undefined) req.dimensions = dimensions;
  const user = optString(body.user, 'user');
  if (user !== undefined) req.user = user;
  return req;
}

export function floatsToBase64(v: number[]): string {
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString('base64');
}

export function base64ToFloats(s: string): number[] {
  const buf = Buffer.from(s, 'base64');
  const out: number[] = new Array<number>(Math.floor(buf.length / 4));
  for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
  return out;
}

export function encodeEmbeddingResponse(res: EmbeddingResponse, req: EmbeddingRequest): unknown {
  const base64 = req.encodingFormat === 'base64';
  return {
    object: 'list',
    data: res.embeddings.map((e, index) => ({ object: 'embedding', index, embedding: base64 ? floatsToBase64(e) : e })),
    model: res.model,
    usage: { prompt_tokens: res.usage.inputTokens, total_tokens: res.usage.inputTokens },
  };
}

export function encodeEmbeddingRequest(req: EmbeddingRequest, model: string): Record<string, unknown> {
  // Ask for floats: every openai-compatible server supports them (base64 is optional there);
  // decodeEmbeddingResponse still reads base64 from servers that send it anyway.
  const body: Record<string, unknown> = { model, input: req.input, encoding_format: 'float' };
  if (req.dimensions !== undefined) body.dimensions = req.dimensions;
  if (req.user !== undefined) body.user = req.user;
  return body;
}

function malformed(what: string): GatewayError {
  return gatewayError('upstream_malformed', `The upstream's embeddings response is malformed: ${what}.`);
}

export function decodeEmbeddingResponse(body: unknown, req: EmbeddingRequest): EmbeddingResponse {
  if (!isObject(body) || !Array.isArray(body.data)) throw malformed('it has no data array');
  const rows = body.data.map((d, i) => {
    if (!isObject(d)) throw malformed(`data[${i}] is not an object`);
    const e = d.embedding;
    const vector = typeof e === 'string' ? base64ToFloats(e) : Array.isArray(e) && e.every((x) => typeof x === 'number') ? (e as number[]) : undefined;
    if (!vector) throw malformed(`data[${i}].embedding is neither numbers nor base64`);
    return { index: typeof d.index === 'number' ? d.index : i, vector };
  });
  rows.sort((a, b) => a.index - b.index);
  if (rows.length !== req.input.length) throw malformed(`${rows.length} embeddings for ${req.input.length} inputs`);
  const usage = isObject(body.usage) && typeof body.usage.prompt_tokens === 'number' ? body.usage.prompt_tokens : 0;
  return { model: typeof body.model === 'string' ? body.model : '', embeddings: rows.map((r) => r.vector), usage: { inputTokens: usage } };
}
