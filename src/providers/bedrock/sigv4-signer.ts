/**
 * AWS Signature Version 4 for one request, with the maintained signer (@smithy/signature-v4, the
 * AWS SDK's own) and Node's SHA-256 (@smithy/core's Hash over node:crypto): no hand-written
 * crypto. The URL's path is signed as it goes on the wire (already percent-encoded: Bedrock
 * model ids carry `:`), which the signer escapes once more for the canonical request, as every
 * AWS SDK does for services other than S3.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/core/serde';
import type { OutgoingRequest } from '../outgoing-request.js';
import type { AwsCredentials } from './aws-credentials.js';

/** SHA-256 through node:crypto, as the AWS SDK's Node runtime configures it. */
const Sha256 = Hash.bind(null, 'sha256');

export class SigV4Signer {
  private readonly signer: SignatureV4;

  constructor(opts: { service: string; region: string; credentials: () => Promise<AwsCredentials> }) {
    // No x-amz-content-sha256 header (applyChecksum): only S3 requires it; the body's hash is in the signature either way.
    this.signer = new SignatureV4({ service: opts.service, region: opts.region, credentials: opts.credentials, sha256: Sha256, applyChecksum: false });
  }

  /**
   * Every header to send: the request's own (lower-cased), `host`, `x-amz-date`,
   * `x-amz-security-token` when the credentials carry a session token, and `authorization`.
   */
  async sign(req: OutgoingRequest, date?: Date): Promise<Record<string, string>> {
    const url = new URL(req.url);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
    // A proxy may drop or rewrite these on the way; signing them would break the signature there.
    delete headers.connection;
    headers.host = url.host;
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(key);
      query[key] = all.length === 1 ? all[0]! : all;
    }
    const signed = await this.signer.sign(
      {
        method: req.method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port === '' ? {} : { port: Number(url.port) }),
        path: url.pathname,
        query,
        headers,
        body: req.body,
      },
      date === undefined ? {} : { signingDate: date },
    );
    return signed.headers;
  }
}
