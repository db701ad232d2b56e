/**
 * Upstream HTTP over one shared undici Agent (keep-alive pools per origin).
 * Turns socket-level failures into typed errors; never logs bodies or keys.
 */
import { Agent, request, type Dispatcher } from 'undici';
import { GatewayError } from '../core/errors.js';

let agent: Agent | undefined;

/** The process-wide upstream connection pool. */
export function upstreamAgent(): Agent {
  agent ??= new Agent({
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connect: { timeout: 10_000 },
    // Upstream headers can be slow on long prompts; the routing layer owns real deadlines.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  return agent;
}

export async function closeUpstreamAgent(): Promise<void> {
  const a = agent;
  agent = undefined;
  await a?.close();
}

export interface UpstreamResponse {
  status: number;
  header(name: string): string | undefined;
  body: Dispatcher.ResponseData['body'];
}

/** POST a JSON body. Rejects with GatewayError on connection failure or abort. */
export async function postJson(
  provider: string,
  url: string,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<UpstreamResponse> {
  try {
    const res = await request(url, {
      method: 'POST',
      headers,
      body,
      signal,
      dispatcher: upstreamAgent(),
    });
    const h = res.headers;
    return {
      status: res.statusCode,
      header: (name) => {
        const v = h[name];
        return Array.isArray(v) ? v[0] : v;
      },
      body: res.body,
    };
  } catch (e) {
    throw connectionError(provider, e, signal);
  }
}

/** GET, for model listings and probes. */
export async function getJson(provider: string, url: string, headers: Record<string, string>, signal: AbortSignal): Promise<UpstreamResponse> {
  try {
    const res = await request(url, { method: 'GET', headers, signal, dispatcher: upstreamAgent() });
    const h = res.headers;
    return { status: res.statusCode, header: (n) => { const v = h[n]; return Array.isArray(v) ? v[0] : v; }, body: res.body };
  } catch (e) {
    throw connectionError(provider, e, signal);
  }
}

/** Map a thrown socket/abort error to a typed upstream error. */
export function connectionError(provider: string, e: unknown, signal?: AbortSignal): GatewayError {
  if (e instanceof GatewayError) return e;
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof GatewayError) return reason;
    return new GatewayError({
      code: 'request_aborted',
      message: `The request to ${provider} was cancelled.`,
      status: 499,
      kind: 'cut',
      retryable: false,
      provider,
      cause: e,
    });
  }
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const timeout = code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
  const what =
    code === 'ECONNREFUSED' ? 'refused the connection'
    : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' ? 'closed the connection'
    : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'could not be resolved (DNS)'
    : timeout ? 'did not answer in time'
    : 'could not be reached';
  return new GatewayError({
    code: timeout ? 'upstream_timeout' : 'upstream_unreachable',
    message: `${provider} ${what}${code ? ` (${code})` : ''}.`,
    status: timeout ? 504 : 502,
    kind: timeout ? 'timeout' : 'transient',
    provider,
    cause: e,
  });
}

/** Read a body as text up to `limit` bytes (error bodies from edges can be large HTML). */
export async function readBodyText(body: UpstreamResponse['body'], limit = 64 * 1024): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    if (size < limit) parts.push(b.subarray(0, limit - size));
    size += b.length;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Read a whole body as bytes. */
export async function readBody(provider: string, body: UpstreamResponse['body'], signal?: AbortSignal): Promise<Buffer> {
  try {
    const parts: Buffer[] = [];
    for await (const chunk of body) parts.push(chunk as Buffer);
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  } catch (e) {
    const err = connectionError(provider, e, signal);
    throw new GatewayError({
      code: 'upstream_cut',
      message: `${provider} closed the connection before the response was complete.`,
      status: 502,
      kind: 'cut',
      provider,
      cause: err,
    });
  }
}
