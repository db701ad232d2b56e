/**
 * Reading a client's JSON body: content type (415), size limit (413, checked
 * against Content-Length before reading and while reading), JSON syntax (400).
 */
import type { IncomingMessage } from 'node:http';
import { gatewayError, type GatewayError } from '../core/errors.js';

/** A client's JSON body: the parsed object and the text it came as (same-format requests forward the text). */
export interface JsonBody {
  value: Record<string, unknown>;
  text: string;
}

const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\b/i;

/** The body as JSON: one promise, settled where the body ends (no async layer over the read). */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<JsonBody> {
  const type = req.headers['content-type'];
  if (type !== 'application/json' && (type === undefined || !JSON_TYPE.test(type))) {
    return Promise.reject(
      gatewayError('unsupported_media_type', `Expected a JSON body with 'Content-Type: application/json'${type ? `, got '${type.slice(0, 100)}'` : ' (no Content-Type header was sent)'}.`),
    );
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return readRaw(req, limit);
}

/** The body's bytes -> its JSON object, or the 400 that says what is wrong with it. */
function parseJsonBody(raw: Buffer): JsonBody {
  // A UTF-8 byte order mark (Windows tools write one) is not part of the JSON: RFC 8259 lets a parser ignore it.
  const text = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf ? raw.toString('utf8', 3) : raw.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    // Blank bodies are told apart here, off the happy path.
    if (text.trim() === '') {
      throw gatewayError('empty_body', 'The request body is empty; expected a JSON object.');
    }
    throw gatewayError('invalid_json', `The request body is not valid JSON: ${(e as Error).message}.`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw gatewayError('invalid_body', 'The request body must be a JSON object.');
  }
  return { value: parsed as Record<string, unknown>, text };
}

function tooLarge(limit: number): GatewayError {
  return gatewayError('request_too_large', `The request body is larger than this gateway's limit of ${limit} bytes (server.max_body_bytes).`);
}

const READ = Symbol('switchyard.bodyRead');

/** A body being read: its parts so far and how to answer. Lives on the request only while reading. */
interface BodyRead {
  parts: Buffer[];
  size: number;
  limit: number;
  resolve(b: JsonBody): void;
  reject(e: unknown): void;
}

type Reading = IncomingMessage & { [READ]?: BodyRead };

/**
 * The body, read via 'data' events (cheaper than async iteration on the hot
 * path). The listeners are module-level functions reading the state off the
 * request, and are removed at the end: nothing per request outlives the read.
 */
function readRaw(req: IncomingMessage, limit: number): Promise<JsonBody> {
  return new Promise((resolve, reject) => {
    (req as Reading)[READ] = { parts: [], size: 0, limit, resolve, reject };
    req.on('data', onBodyData);
    req.on('end', onBodyEnd);
    req.on('error', onBodyError);
  });
}

function finish(req: Reading): BodyRead | undefined {
  const r = req[READ];
  req[READ] = undefined;
  req.off('data', onBodyData);
  req.off('end', onBodyEnd);
  req.off('error', onBodyError);
  return r;
}

function onBodyData(this: Reading, chunk: Buffer): void {
  const r = this[READ];
  if (!r) return;
  r.size += chunk.length;
  if (r.size > r.limit) {
    // Stop collecting but keep draining, so the 413 can still be written on this connection.
    finish(this);
    this.resume();
    r.reject(tooLarge(r.limit));
    return;
  }
  r.parts.push(chunk);
}

function onBodyEnd(this: Reading): void {
  const r = finish(this);
  if (!r) return;
  let body: JsonBody;
  try {
    body = parseJsonBody(r.parts.length === 1 ? r.parts[0]! : Buffer.concat(r.parts, r.size));
  } catch (e) {
    r.reject(e);
    return;
  }
  r.resolve(body);
}

function onBodyError(this: Reading, e: Error): void {
  finish(this)?.reject(e);
}
