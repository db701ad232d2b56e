/**
 * Claude on AWS Bedrock (`type: bedrock`): the Anthropic Messages body in Bedrock's envelope
 * (anthropic-envelope.ts) at `{base}/model/{modelId}/invoke` and `/invoke-with-response-stream`
 * (Bedrock Runtime API reference, InvokeModel and InvokeModelWithResponseStream), signed with
 * SigV4 for service `bedrock` in the configured region. Streams arrive as AWS event-stream
 * framing and are read as the Anthropic SSE they carry (event-stream-to-sse.ts), so an Anthropic
 * client's request and answer both pass through as bytes. With `api_key` (a Bedrock API key,
 * AWS_BEARER_TOKEN_BEDROCK in the AWS tools) the request carries it as a bearer token instead.
 */
import type { GatewayError } from '../../core/errors.js';
import { anthropicMessages } from '../../formats/anthropic-messages/index.js';
import type { EgressFormat } from '../../formats/types.js';
import { envelopeBody, envelopeText, type Envelope } from '../anthropic-envelope.js';
import type { ByteTranscoder } from '../body-source.js';
import { bedrockModelId } from '../claude-model-ids.js';
import type { Exchange } from '../http-exchange.js';
import { HttpProvider } from '../http-provider.js';
import type { OutgoingRequest } from '../outgoing-request.js';
import { credentialsUnavailable, RefreshingCredential } from '../refreshing-credential.js';
import type { Provider, ProviderConfig, ProviderDeps } from '../types.js';
import { awsCredentialSource, type AwsCredentials } from './aws-credentials.js';
import { decodeBedrockError } from './bedrock-errors.js';
import { EventStreamToSse } from './event-stream-to-sse.js';
import { SigV4Signer } from './sigv4-signer.js';

/** Bedrock's Messages API version (Bedrock user guide, "Anthropic Claude Messages API"). */
export const BEDROCK_ENVELOPE: Envelope = { version: 'bedrock-2023-05-31', streamInBody: false };

export function bedrockBaseUrl(region: string): string {
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}

const bedrockEgress: EgressFormat = {
  ...anthropicMessages,
  encodeRequest: (req, model) => envelopeBody(anthropicMessages.encodeRequest(req, model), BEDROCK_ENVELOPE, req.stream),
  decodeError: decodeBedrockError,
};

class BedrockProvider extends HttpProvider {
  // Claude continues a trailing assistant message on Bedrock as on Anthropic's API.
  readonly supportsPrefill = true;

  private readonly base: string;
  private readonly credentials: RefreshingCredential<AwsCredentials> | undefined;
  private readonly signer: SigV4Signer | undefined;

  constructor(config: ProviderConfig, deps: ProviderDeps) {
    super(config, bedrockEgress, deps);
    const region = config.region ?? '';
    this.base = (config.baseUrl || bedrockBaseUrl(region)).replace(/\/+$/, '');
    if (config.apiKey === undefined || config.apiKey === '') {
      const source = deps.awsCredentials ?? awsCredentialSource({ ...(config.awsKeys ? { keys: config.awsKeys } : {}), ...(config.profile ? { profile: config.profile } : {}), env: deps.env ?? process.env });
      const credentials = new RefreshingCredential(source, deps.clock);
      this.credentials = credentials;
      this.signer = new SigV4Signer({ service: 'bedrock', region, credentials: () => credentials.get() });
    }
  }

  protected chatUrl(model: string, stream: boolean): string {
    const id = bedrockModelId(model, { region: this.config.region, inferenceProfile: this.config.inferenceProfile, ids: this.config.modelIds });
    return this.withQuery(`${this.base}/model/${encodeURIComponent(id)}/${stream ? 'invoke-with-response-stream' : 'invoke'}`);
  }

  protected embeddingsUrl(): undefined {
    return undefined;
  }

  protected authHeaders(): Record<string, string> {
    const key = this.config.apiKey;
    return key === undefined || key === '' ? {} : { authorization: `Bearer ${key}` };
  }

  protected override requestHeaders(req: OutgoingRequest): Promise<Record<string, string>> {
    // The body's media type either way; a stream's events are event-stream framed whatever Accept says.
    const headers = { ...req.headers, accept: 'application/json', 'x-amzn-bedrock-accept': 'application/json' };
    if (!this.signer) return Promise.resolve(headers);
    return this.signer.sign({ ...req, headers }).catch((e: unknown) => {
      throw credentialsUnavailable(this.name, 'AWS credentials to sign the request', e);
    });
  }

  protected override streamTranscoder(): ByteTranscoder {
    return new EventStreamToSse(this.name);
  }

  protected override passthroughText(_body: Record<string, unknown>, text: string, _model: string, stream: boolean): string | undefined {
    return envelopeText(text, BEDROCK_ENVELOPE, stream);
  }

  protected override passthroughBody(body: Record<string, unknown>, _model: string, stream: boolean): Record<string, unknown> {
    return envelopeBody(body, BEDROCK_ENVELOPE, stream);
  }

  /** Rejected credentials (an expired session token, rotated keys) are fetched anew for the next request. */
  protected override answerError(res: Exchange, body: string): GatewayError {
    const e = super.answerError(res, body);
    if (e.kind === 'auth') this.credentials?.invalidate();
    return e;
  }
}

export function createBedrockProvider(config: ProviderConfig, deps: ProviderDeps): Provider {
  return new BedrockProvider(config, deps);
}
