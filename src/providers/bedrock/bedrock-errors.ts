/**
 * Bedrock Runtime's errors as typed errors (DESIGN.md principle 5), from the service model
 * (aws-sdk-js-v3 client-bedrock-runtime: each exception's HTTP status) and the Bedrock user
 * guide's "Troubleshooting API error codes". HTTP errors name their type in `x-amzn-ErrorType`
 * (`ThrottlingException:http://internal.amazon.com/...`) or the body's `__type`, with the text in
 * `message` (or `Message`); a stream's exceptions arrive as event-stream messages whose
 * `:exception-type` is the same name in camel case (`throttlingException`).
 */
import { GatewayError, retryAfterFromHeaders, upstreamCode, type ErrorKind } from '../../core/errors.js';
import type { UpstreamErrorInput } from '../../formats/types.js';

/** Status the gateway reports and what the error means for routing, by exception name (lower case). */
const EXCEPTIONS: Record<string, { status: number; kind: ErrorKind }> = {
  throttlingexception: { status: 429, kind: 'rate_limited' },
  // "The model specified in the request is not ready to serve inference requests" (429 in the model): try elsewhere.
  modelnotreadyexception: { status: 503, kind: 'overloaded' },
  serviceunavailableexception: { status: 503, kind: 'overloaded' },
  internalserverexception: { status: 500, kind: 'transient' },
  modeltimeoutexception: { status: 504, kind: 'timeout' },
  // 424 in the model: the model itself failed; a gateway status a client's SDK understands instead.
  modelerrorexception: { status: 502, kind: 'transient' },
  modelstreamerrorexception: { status: 502, kind: 'transient' },
  validationexception: { status: 400, kind: 'client_error' },
  resourcenotfoundexception: { status: 404, kind: 'client_error' },
  accessdeniedexception: { status: 403, kind: 'auth' },
  // Account quota ("exceeds the service quota for your account"): parked like a spend limit, not retried.
  servicequotaexceededexception: { status: 429, kind: 'quota_exhausted' },
  // From AWS's authentication layer, before Bedrock: bad keys, bad signature, expired session token.
  unrecognizedclientexception: { status: 401, kind: 'auth' },
  invalidsignatureexception: { status: 403, kind: 'auth' },
  expiredtokenexception: { status: 403, kind: 'auth' },
  signaturedoesnotmatch: { status: 403, kind: 'auth' },
};

/** `ThrottlingException:http://internal.amazon.com/coral/...` or `com.amazon.coral#ThrottlingException` -> `ThrottlingException`. */
export function exceptionName(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const name = raw.split(':')[0]!.split('#').pop()!.trim();
  return name === '' ? undefined : name;
}

/** The typed error for a Bedrock exception name and message (HTTP answers and stream exceptions alike). */
export function bedrockError(opts: { name: string | undefined; message: string; provider: string; httpStatus?: number; retryAfterMs?: number }): GatewayError {
  const known = opts.name === undefined ? undefined : EXCEPTIONS[opts.name.toLowerCase()];
  const status = known?.status ?? (opts.httpStatus !== undefined && opts.httpStatus >= 400 ? opts.httpStatus : 500);
  const kind: ErrorKind = known?.kind ?? (status === 429 ? 'rate_limited' : status === 401 || status === 403 ? 'auth' : status >= 500 ? 'transient' : 'client_error');
  const text = opts.message.replace(/\s+/g, ' ').trim().slice(0, 500);
  return new GatewayError({
    code: upstreamCode(kind),
    message: `${opts.provider}: ${opts.name ? `${opts.name}: ` : ''}${text || 'the request failed'}`,
    status,
    kind,
    provider: opts.provider,
    ...(opts.httpStatus === undefined ? {} : { upstreamStatus: opts.httpStatus }),
    ...(opts.name === undefined ? {} : { upstreamType: opts.name }),
    ...(opts.retryAfterMs === undefined ? {} : { retryAfterMs: opts.retryAfterMs }),
  });
}

/** An HTTP error answer from Bedrock Runtime (JSON, or an HTML page from something in front of it). */
export function decodeBedrockError(input: UpstreamErrorInput): GatewayError {
  let body: Record<string, unknown> = {};
  try {
    const j: unknown = JSON.parse(input.body);
    if (typeof j === 'object' && j !== null && !Array.isArray(j)) body = j as Record<string, unknown>;
  } catch {
    // Not JSON: described below.
  }
  const name = exceptionName(input.header('x-amzn-errortype')) ?? exceptionName(typeof body.__type === 'string' ? body.__type : undefined);
  const m = body.message ?? body.Message;
  const what = input.body.trim() === '' ? 'an empty body' : /^\s*</.test(input.body) ? 'an HTML page (likely a proxy in front of the API)' : 'a body that is not a Bedrock error';
  const message = typeof m === 'string' ? m : `HTTP ${input.status} with ${what}`;
  // Bedrock sends no Retry-After today; one from a proxy or a future version is honoured.
  const retryAfterMs = retryAfterFromHeaders(input.header);
  return bedrockError({ name, message, provider: input.provider, httpStatus: input.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}
