/**
 * A simulated AWS Bedrock Runtime serving Claude, written from the Bedrock API reference
 * (InvokeModel, InvokeModelWithResponseStream, the exceptions of the service model) and the
 * Bedrock user guide's Anthropic Messages page: POST /model/{modelId}/invoke and
 * /invoke-with-response-stream, SigV4 verified (sigv4-verifier.ts) or a Bedrock API key as a
 * bearer token, a body that must carry `anthropic_version: bedrock-2023-05-31` and no `model` or
 * `stream` ("extraneous key [stream] is not permitted"), answers as the Anthropic wire's, streams
 * in AWS event-stream framing (aws-event-stream.ts), errors in Bedrock's shape:
 * `{"message": ...}` with `x-amzn-ErrorType`.
 */
import type { Clock } from '../core/clock.js';
import { createSystemClock } from '../core/clock.js';
import { randomId } from '../core/ids.js';
import { anthropicWire } from './anthropic-wire.js';
import { chunkMessage, exceptionMessage } from './aws-event-stream.js';
import type { SimPrompt } from './script.js';
import { SigV4Verifier, type SimAwsCredential, type SigV4Verdict } from './sigv4-verifier.js';
import type { SimErrorResponse, SimRoute, SimWire } from './wire.js';

/** AWS's documentation example keys: obvious fakes the simulator accepts by default. */
export const SIM_AWS_CREDENTIALS: SimAwsCredential = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

export const BEDROCK_ANTHROPIC_VERSION = 'bedrock-2023-05-31';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function bedrockError(status: number, type: string, message: string, headers: Record<string, string> = {}): SimErrorResponse {
  return {
    status,
    headers: { 'x-amzn-requestid': randomId('', 32), 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`, ...headers },
    body: JSON.stringify({ message }),
  };
}

const validation = (message: string) => ({ error: bedrockError(400, 'ValidationException', message) });

const REFUSALS: Record<Exclude<SigV4Verdict, 'ok'>, [string, string]> = {
  missing: ['MissingAuthenticationTokenException', 'Missing Authentication Token'],
  'unknown-key': ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
  'bad-token': ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
  expired: ['InvalidSignatureException', 'Signature expired: the request signature is more than 5 minutes from the current time.'],
  mismatch: ['InvalidSignatureException', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'],
};

/** `event: x\ndata: {...}\n\n` (the Anthropic wire's frames) -> the JSON they carry. */
const dataOf = (frame: string): string => frame.split('\n').find((l) => l.startsWith('data: '))!.slice('data: '.length);

export interface BedrockWireOptions {
  /** The keys the simulated AWS knows (default: AKIDEXAMPLE); read per request, so a test can rotate them. */
  credentials?: () => readonly SimAwsCredential[];
  clock?: Clock;
}

export function createBedrockWire(opts: BedrockWireOptions = {}): SimWire {
  const verifier = new SigV4Verifier(opts.credentials ?? (() => [SIM_AWS_CREDENTIALS]), opts.clock ?? createSystemClock(), 'bedrock');
  return {
    provider: 'bedrock',
    overCapacityStatus: 429,
    streamContentType: 'application/vnd.amazon.eventstream',

    route(method, url) {
      const m = /^\/model\/([^/]+)\/(invoke|invoke-with-response-stream)$/.exec(url.split('?')[0] ?? '');
      if (method !== 'POST' || !m) return undefined;
      return { kind: 'chat', stream: m[2] === 'invoke-with-response-stream', model: decodeURIComponent(m[1]!) };
    },

    // Credentials are checked on the whole request (verifyRequest).
    authorized: () => true,

    async verifyRequest(req) {
      const auth = req.headers.authorization;
      // A Bedrock API key (AWS_BEARER_TOKEN_BEDROCK) is a bearer token in place of a signature.
      if (typeof auth === 'string' && /^Bearer\s+\S+/.test(auth)) return undefined;
      const verdict = await verifier.verify(req);
      if (verdict === 'ok') return undefined;
      const [type, message] = REFUSALS[verdict];
      return bedrockError(403, type, message);
    },

    parseChat(body, route) {
      if (!isObj(body)) return validation('Malformed input request: expected a JSON object, please reformat your input and try again.');
      if (body.anthropic_version === undefined) return validation('Malformed input request: #: required key [anthropic_version] not found, please reformat your input and try again.');
      if (body.anthropic_version !== BEDROCK_ANTHROPIC_VERSION) return validation('Invalid API version');
      for (const key of ['model', 'stream']) {
        if (key in body) return validation(`Malformed input request: #: extraneous key [${key}] is not permitted, please reformat your input and try again.`);
      }
      const model = route.kind === 'chat' ? route.model ?? '' : '';
      const parsed = anthropicWire.parseChat({ ...body, model }, { kind: 'chat', stream: false });
      if ('error' in parsed) return validation(String((JSON.parse(parsed.error.body) as { error?: { message?: string } }).error?.message ?? 'Invalid request'));
      return parsed;
    },

    chatJson(answer, prompt, id) {
      return anthropicWire.chatJson(answer, prompt, `bdrk_${id}`);
    },

    streamFrames(answer, prompt: SimPrompt, id) {
      return anthropicWire.streamFrames(answer, prompt, `bdrk_${id}`).map((frame) => {
        const json = dataOf(String(frame));
        if (!json.startsWith('{"type":"message_stop"')) return chunkMessage(json);
        // Bedrock adds its own metrics to the last event.
        const metrics = { inputTokenCount: prompt.inputTokens, outputTokenCount: answer.outputTokens, invocationLatency: 420, firstByteLatency: 180 };
        return chunkMessage(JSON.stringify({ type: 'message_stop', 'amazon-bedrock-invocationMetrics': metrics }));
      });
    },

    embed(_body: unknown, _route: SimRoute) {
      return { error: bedrockError(400, 'ValidationException', 'This sim serves Claude messages only.') };
    },

    models() {
      return {};
    },

    error(status, o) {
      const retry: Record<string, string> = o.retryAfterSeconds === undefined ? {} : { 'retry-after': String(o.retryAfterSeconds) };
      if (o.variant === 'unauthorized') return bedrockError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      if (o.variant === 'quota') return bedrockError(400, 'ServiceQuotaExceededException', 'Your request exceeds the service quota for your account. You can view your quotas at https://docs.aws.amazon.com/servicequotas/latest/userguide/gs-request-quota.html.');
      switch (status) {
        case 400: return bedrockError(400, 'ValidationException', 'Malformed input request, please reformat your input and try again.');
        case 401:
        case 403: return bedrockError(403, 'AccessDeniedException', "You don't have access to the model with the specified model ID.");
        case 404: return bedrockError(404, 'ResourceNotFoundException', 'Model not found.');
        case 408:
        case 504: return bedrockError(408, 'ModelTimeoutException', 'Model has timed out in processing the request. Try your request again.');
        case 424: return bedrockError(424, 'ModelErrorException', 'The model returned an error.');
        case 429: return bedrockError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.', retry);
        case 500: return bedrockError(500, 'InternalServerException', 'The server encountered an internal error.', retry);
        // Bedrock has no 529: an overloaded model shows as ServiceUnavailableException.
        default: return bedrockError(503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.', retry);
      }
    },

    malformedFrame() {
      const bad = chunkMessage('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" trunc"}}');
      bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
      return bad;
    },

    streamErrorFrame() {
      return exceptionMessage('serviceUnavailableException', 'Bedrock is unable to process your request.');
    },
  };
}
