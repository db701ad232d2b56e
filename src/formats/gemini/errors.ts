/**
 * Google API errors -> typed GatewayErrors. Google's shape is google.rpc.Status
 * as JSON: `{error: {code, message, status, details: [{"@type": ...}, ...]}}`
 * (sometimes wrapped in a one-element array). Meanings follow the Gemini API
 * troubleshooting table (ai.google.dev/gemini-api/docs/troubleshooting):
 * 400 INVALID_ARGUMENT / FAILED_PRECONDITION, 403 PERMISSION_DENIED,
 * 404 NOT_FOUND, 429 RESOURCE_EXHAUSTED, 500 INTERNAL, 503 UNAVAILABLE,
 * 504 DEADLINE_EXCEEDED.
 *
 * The API key can travel in `?key=` URLs, so nothing here ever sees or prints a
 * URL, and anything shaped like a Google API key is redacted from messages.
 */
import { gatewayError, GatewayError, kindForStatus, retryAfterFromHeaders, type ErrorKind, upstreamCode } from '../../core/errors.js';
import type { UpstreamErrorInput } from '../types.js';

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Google API keys are "AIza" + 35 characters. */
function redact(s: string): string {
  return s.replace(/AIza[0-9A-Za-z_-]{20,}/g, '[redacted]').slice(0, 600);
}

function detailsOf(err: Json, type: string): Json[] {
  const d = err.details;
  return Array.isArray(d) ? d.filter((x): x is Json => isObj(x) && typeof x['@type'] === 'string' && x['@type'].endsWith(type)) : [];
}

/** google.rpc.RetryInfo.retryDelay is a Duration in JSON: "5s", "0.5s", "36.4s". */
function retryDelayMs(err: Json, message: string): number | undefined {
  for (const d of detailsOf(err, 'google.rpc.RetryInfo')) {
    const m = typeof d.retryDelay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(d.retryDelay.trim()) : null;
    if (m) return Math.round(Number(m[1]) * 1000);
  }
  // The same hint appears in the message: "Please retry in 36.429760048s."
  const m = /retry in (\d+(?:\.\d+)?)s/i.exec(message);
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
}

const DAILY = /per ?day|daily/i;

/**
 * A per-day quota is not a rate limit: waiting seconds won't help (the RetryInfo
 * delay on such 429s is misleading). QuotaFailure names the quota, e.g.
 * quotaId "GenerateRequestsPerDayPerProjectPerModel-FreeTier"; ErrorInfo
 * metadata.quota_limit may say "...PerDay".
 */
function isDailyQuota(err: Json, message: string): boolean {
  for (const d of detailsOf(err, 'google.rpc.QuotaFailure')) {
    const violations = Array.isArray(d.violations) ? d.violations.filter(isObj) : [];
    if (violations.some((v) => DAILY.test(String(v.quotaId ?? '')) || DAILY.test(String(v.quotaMetric ?? '')))) return true;
  }
  for (const d of detailsOf(err, 'google.rpc.ErrorInfo')) {
    if (isObj(d.metadata) && DAILY.test(String(d.metadata.quota_limit ?? ''))) return true;
  }
  return /daily quota|quota.{0,40}per day/i.test(message);
}

/** Daily quotas reset at midnight Pacific time (Gemini API rate-limits doc). */
export function msUntilPacificMidnight(now: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/Los_Angeles',
    hourCycle: 'h23',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(now));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const elapsed = ((get('hour') * 60 + get('minute')) * 60 + get('second')) * 1000 + (now % 1000);
  return Math.max(1000, 86_400_000 - elapsed);
}


function kindFor(googleStatus: string | undefined, httpStatus: number): ErrorKind {
  switch (googleStatus) {
    case 'INVALID_ARGUMENT':
    case 'FAILED_PRECONDITION':
    case 'OUT_OF_RANGE':
    case 'NOT_FOUND':
      return 'client_error';
    case 'UNAUTHENTICATED':
    case 'PERMISSION_DENIED':
      return 'auth';
    case 'RESOURCE_EXHAUSTED':
      return 'rate_limited';
    case 'UNAVAILABLE':
      return 'overloaded';
    case 'DEADLINE_EXCEEDED':
      return 'timeout';
    case 'INTERNAL':
    case 'UNKNOWN':
      return 'transient';
    default:
      return kindForStatus(httpStatus);
  }
}

/** The google.rpc.Status object inside a body, if the body is Google's error JSON. */
export function googleErrorOf(body: unknown): Json | undefined {
  const top = Array.isArray(body) ? body[0] : body;
  return isObj(top) && isObj(top.error) ? top.error : undefined;
}

/** Map a parsed Google error object (from an HTTP error body or an in-stream error frame). */
export function decodeGoogleError(err: Json, httpStatus: number, provider: string, header: (n: string) => string | undefined = () => undefined): GatewayError {
  const status = typeof err.code === 'number' && err.code >= 400 && err.code < 600 ? err.code : httpStatus;
  const googleStatus = typeof err.status === 'string' ? err.status : undefined;
  const message = redact(typeof err.message === 'string' ? err.message : '');
  let kind = kindFor(googleStatus, status);
  const reason = detailsOf(err, 'google.rpc.ErrorInfo').map((d) => d.reason).find((r): r is string => typeof r === 'string');
  // An invalid key is a 400 INVALID_ARGUMENT with ErrorInfo API_KEY_INVALID: our credential's fault, not the client's.
  if (reason === 'API_KEY_INVALID' || /API key not valid/i.test(message)) kind = 'auth';
  let retryAfterMs: number | undefined;
  if (kind === 'rate_limited') {
    if (isDailyQuota(err, message)) {
      kind = 'quota_exhausted';
      retryAfterMs = msUntilPacificMidnight(Date.now());
    } else {
      retryAfterMs = retryDelayMs(err, message) ?? retryAfterFromHeaders(header);
    }
  }
  const what = kind === 'quota_exhausted' ? 'daily quota exhausted' : googleStatus ?? `HTTP ${status}`;
  return gatewayError(status === 404 ? 'upstream_not_found' : upstreamCode(kind), `${provider} (Gemini) ${what}: ${message || 'no message'}`, { status: kind === 'auth' && status === 400 ? 401 : status, kind, provider, upstreamStatus: httpStatus, ...(googleStatus === undefined ? {} : { upstreamType: googleStatus }), ...(reason === undefined ? {} : { upstreamCode: reason }), ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}

export function decodeError(input: UpstreamErrorInput): GatewayError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.body);
  } catch {
    parsed = undefined;
  }
  const err = googleErrorOf(parsed);
  if (err) return decodeGoogleError(err, input.status, input.provider, input.header);
  // Not Google's JSON: an edge/proxy page (HTML), an empty body, or a truncated one.
  const kind = kindForStatus(input.status);
  const looksHtml = /^\s*</.test(input.body);
  const retryAfterMs = kind === 'rate_limited' || kind === 'overloaded' ? retryAfterFromHeaders(input.header) : undefined;
  return gatewayError(upstreamCode(kind), `${input.provider} (Gemini) answered HTTP ${input.status} with ${looksHtml ? 'an HTML error page' : input.body.trim() === '' ? 'an empty body' : 'a body that is not Google\'s error JSON'}.`, { status: input.status, kind, provider: input.provider, upstreamStatus: input.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}
