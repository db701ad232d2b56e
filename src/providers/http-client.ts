/**
 * Upstream HTTP failures as typed errors (connections live in upstream-pool.ts);
 * never logs bodies or keys.
 */
import type { SignalLike } from '../core/cancel.js';
import { gatewayError, GatewayError, requestAborted } from '../core/errors.js';

/** Map a thrown socket/abort error to a typed upstream error. */
export function connectionError(provider: string, e: unknown, signal?: SignalLike): GatewayError {
  if (e instanceof GatewayError) return e;
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof GatewayError) return reason;
    return requestAborted(`The request to ${provider} was cancelled.`, provider, e);
  }
  const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
  const timeout = code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
  const what =
    code === 'ECONNREFUSED' ? 'refused the connection'
    : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' ? 'closed the connection'
    : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'could not be resolved (DNS)'
    : timeout ? 'did not answer in time'
    : 'could not be reached';
  return gatewayError(timeout ? 'upstream_timeout' : 'upstream_unreachable', `${provider} ${what}${code ? ` (${code})` : ''}.`, { status: timeout ? 504 : 502, kind: timeout ? 'timeout' : 'transient', provider, cause: e });
}

/** The connection was lost after the headers: the answer is cut. Errors we caused ourselves keep their type. */
export function cutError(provider: string, e: unknown, what: 'response' | 'stream'): GatewayError {
  if (e instanceof GatewayError) return e;
  return gatewayError(what === 'stream' ? 'upstream_stream_cut' : 'upstream_cut', `${provider} closed the ${what === 'stream' ? 'stream before the answer' : 'connection before the response'} was complete.`, { status: 502, kind: 'cut', provider, cause: e });
}
