/**
 * OpenAI(-compatible) error bodies -> typed GatewayError that keeps their meaning
 * (DESIGN.md principle 5). Shapes handled:
 * - OpenAI: {"error":{"message","type","param","code"}} (API reference, Error object);
 * - vLLM and others: {"object":"error","message","type","code":<status>};
 * - Ollama: {"error":"model 'x' not found"};
 * - anything else an edge returns: HTML pages (Cloudflare 502), or JSON such as
 *   {"status":"come back later"} seen during the 2023-11-08 DDoS.
 */
import { GatewayError, kindForStatus, upstreamCode } from '../../core/errors.js';
import type { UpstreamErrorInput } from '../types.js';
import { rateLimitWaitMs } from './retry-after.js';
import { scrubSecrets } from './scrub.js';
import { isObject } from './validate.js';

const MAX_MESSAGE = 600;

export interface ParsedOpenAIError {
  message: string;
  type?: string;
  code?: string;
  param?: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** The error object inside a parsed JSON body, if the body is an error in a known shape. */
export function readOpenAIError(json: unknown): ParsedOpenAIError | undefined {
  if (!isObject(json)) return undefined;
  const e = json.error;
  if (typeof e === 'string' && e !== '') return { message: e };
  const src = isObject(e) ? e : json.object === 'error' ? json : undefined;
  if (!src || typeof src.message !== 'string') return undefined;
  const out: ParsedOpenAIError = { message: src.message };
  const type = str(src.type);
  const code = str(src.code);
  const param = str(src.param);
  if (type !== undefined) out.type = type;
  if (code !== undefined) out.code = code;
  if (param !== undefined) out.param = param;
  return out;
}

function isQuota(e: ParsedOpenAIError | undefined): boolean {
  return e?.type === 'insufficient_quota' || e?.code === 'insufficient_quota';
}


function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** What a non-API body was, in a few words (never an HTML dump). */
function describeBody(provider: string, status: number, body: string, contentType: string | undefined): string {
  const text = body.trim();
  if (text === '') return `${provider} returned HTTP ${status} with an empty body.`;
  if (/html/i.test(contentType ?? '') || /^<(!doctype|html|head|body)/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
    const what = title ? `an HTML error page ("${clip(title, 80)}")` : 'an HTML error page';
    return `${provider} returned HTTP ${status} with ${what}, likely from a proxy or CDN in front of the API.`;
  }
  return `${provider} returned HTTP ${status} with an unexpected body: ${clip(scrubSecrets(text), 200)}`;
}

/** Build the typed error from a status and (maybe) a parsed OpenAI error. */
export function openAIError(
  status: number,
  parsed: ParsedOpenAIError | undefined,
  opts: { provider?: string; header?: (name: string) => string | undefined; fallbackMessage: string; cause?: unknown },
): GatewayError {
  let kind = kindForStatus(status);
  if (isQuota(parsed)) kind = 'quota_exhausted';
  const message = parsed ? clip(scrubSecrets(parsed.message), MAX_MESSAGE) || opts.fallbackMessage : opts.fallbackMessage;
  let retryAfterMs: number | undefined;
  if (opts.header && (kind === 'rate_limited' || kind === 'overloaded' || kind === 'transient')) {
    retryAfterMs = rateLimitWaitMs(opts.header, kind === 'rate_limited' ? message : '');
  }
  return new GatewayError({
    code: upstreamCode(kind),
    message,
    status,
    kind,
    upstreamStatus: status,
    ...(opts.provider === undefined ? {} : { provider: opts.provider }),
    ...(parsed?.param === undefined ? {} : { param: parsed.param }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(parsed?.type === undefined ? {} : { upstreamType: parsed.type }),
    ...(parsed?.code === undefined ? {} : { upstreamCode: parsed.code }),
    ...(opts.cause === undefined ? {} : { cause: opts.cause }),
  });
}

export function decodeError(input: UpstreamErrorInput): GatewayError {
  let json: unknown;
  try {
    json = input.body.trim() === '' ? undefined : JSON.parse(input.body);
  } catch {
    json = undefined;
  }
  const parsed = readOpenAIError(json);
  const fallback = describeBody(input.provider, input.status, input.body, input.header('content-type'));
  return openAIError(input.status, parsed, { provider: input.provider, header: input.header, fallbackMessage: fallback });
}

/**
 * An error sent inside a 200 stream (`data: {"error":{...}}`) has no HTTP status;
 * infer one from its type/code so routing treats it like the equivalent HTTP error.
 */
export function streamError(json: unknown): GatewayError | undefined {
  const parsed = readOpenAIError(json);
  if (!parsed) return undefined;
  const numeric = Number(parsed.code);
  let status = 500;
  if (Number.isInteger(numeric) && numeric >= 400 && numeric < 600) status = numeric; // vLLM puts the status in `code`
  else if (isQuota(parsed) || parsed.code === 'rate_limit_exceeded' || /rate_limit|^requests$|^tokens$/.test(parsed.type ?? '')) status = 429;
  else if (parsed.type === 'invalid_request_error') status = 400;
  return openAIError(status, parsed, { fallbackMessage: 'The upstream reported an error in the middle of the stream.' });
}
