/**
 * Reading a client's JSON body: content type (415), size limit (413, checked
 * against Content-Length before reading and while reading), JSON syntax (400),
 * time (408: a body trickled in must still arrive within the body timer), and a
 * client that goes away mid-upload (request_aborted: its doing, not the gateway's).
 */
import type { IncomingMessage } from 'node:http';
import type { Clock, TimerHandle } from '../core/clock.js';
import { gatewayError, requestAborted, type GatewayError } from '../core/errors.js';

/** A client's JSON body: the parsed object and the text it came as (same-format requests forward the text). */
export interface JsonBody {
  value: Record<string, unknown>;
  text: string;
}

const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\b/i;

/**
 * The body as JSON: one promise, settled where the body ends (no async layer over the read).
 * `timeoutMs` (server.body_read_timeout_ms, on `clock`) bounds the time the whole body may take.
 */
export function readJsonBody(req: IncomingMessage, limit: number, clock?: Clock, timeoutMs = 0): Promise<JsonBody> {
  const type = req.headers['content-type'];
  if (type !== 'application/json' && (type === undefined || !JSON_TYPE.test(type))) {
    return Promise.reject(
      gatewayError('unsupported_media_type', `Expected a JSON body with 'Content-Type: application/json'${type ? `, got '${type.slice(0, 100)}'` : ' (no Content-Type header was sent)'}.`),
    );
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return readRaw(req, limit, clock, timeoutMs);
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

function bodyTimeout(ms: number): GatewayError {
  return gatewayError('body_timeout', `The request body did not arrive within ${ms / 1000}s (server.body_read_timeout_ms); the connection is closed.`);
}

const READ = Symbol('switchyard.bodyRead');

/** A body being read: its parts so far and how to answer. Lives on the request only while reading. */
interface BodyRead {
  req: Reading;
  parts: Buffer[];
  size: number;
  limit: number;
  clock: Clock | undefined;
  timeoutMs: number;
  handle: TimerHandle | undefined;
  resolve(b: JsonBody): void;
  reject(e: unknown): void;
}

type Reading = IncomingMessage & { [READ]?: BodyRead };

/**
 * The body, read via 'data' events (cheaper than async iteration on the hot
 * path). The listeners are module-level functions reading the state off the
 * request, and are removed at the end: nothing per request outlives the read.
 */
function readRaw(req: IncomingMessage, limit: number, clock: Clock | undefined, timeoutMs: number): Promise<JsonBody> {
  return new Promise((resolve, reject) => {
    const r: BodyRead = { req, parts: [], size: 0, limit, clock, timeoutMs, handle: undefined, resolve, reject };
    (req as Reading)[READ] = r;
    req.on('data', onBodyData);
    req.on('end', onBodyEnd);
    req.on('error', onBodyError);
    if (clock && timeoutMs > 0 && !req.complete) r.handle = clock.setTimeout(onBodyTimeout, timeoutMs, r);
  });
}

function finish(req: Reading): BodyRead | undefined {
  const r = req[READ];
  req[READ] = undefined;
  req.off('data', onBodyData);
  req.off('end', onBodyEnd);
  req.off('error', onBodyError);
  if (r?.handle !== undefined) r.clock!.clearTimeout(r.handle);
  return r;
}

/** The body took too long: a 408 (the caller closes the connection after it: the rest of the body is not waited for). */
function onBodyTimeout(r: BodyRead): void {
  r.handle = undefined;
  if (r.req[READ] !== r) return;
  finish(r.req);
  r.reject(bodyTimeout(r.timeoutMs));
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

/** The connection broke mid-body: the client went away (node says 'aborted', ECONNRESET). */
function onBodyError(this: Reading, e: Error): void {
  finish(this)?.reject(requestAborted('The client closed the connection while sending the request body.', undefined, e));
}
