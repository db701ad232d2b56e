/**
 * The simulated AWS side of Signature Version 4: the request is signed again with the secret the
 * simulator knows for the access key it names, by the same maintained signer the AWS SDKs use,
 * over exactly the headers the request says it signed, and the two signatures must match. As
 * AWS does, it also refuses an unknown key, a session token that is not the key's, and a
 * signature dated more than 5 minutes from the simulator's clock.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/core/serde';
import type { Clock } from '../core/clock.js';

export interface SimAwsCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type SigV4Verdict = 'ok' | 'missing' | 'unknown-key' | 'bad-token' | 'expired' | 'mismatch';

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;
const SKEW_MS = 5 * 60_000;
const Sha256 = Hash.bind(null, 'sha256');

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(',') : v);

/** `20150830T123600Z` -> Date. */
function amzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}

export class SigV4Verifier {
  constructor(
    private readonly credentials: () => readonly SimAwsCredential[],
    private readonly clock: Clock,
    private readonly service: string,
  ) {}

  async verify(req: { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer }): Promise<SigV4Verdict> {
    const m = AUTH.exec(one(req.headers.authorization) ?? '');
    const date = amzDate(one(req.headers['x-amz-date']) ?? '');
    if (!m || !date || m[4] !== this.service) return 'missing';
    const [, keyId, , region, , signedList, signature] = m;
    const cred = this.credentials().find((c) => c.accessKeyId === keyId);
    if (!cred) return 'unknown-key';
    if ((cred.sessionToken ?? undefined) !== one(req.headers['x-amz-security-token'])) return 'bad-token';
    if (Math.abs(this.clock.now() - date.getTime()) > SKEW_MS) return 'expired';
    const headers: Record<string, string> = {};
    for (const name of signedList!.split(';')) headers[name] = one(req.headers[name]) ?? '';
    const url = new URL(req.url, `http://${headers.host ?? 'localhost'}`);
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const all = url.searchParams.getAll(key);
      query[key] = all.length === 1 ? all[0]! : all;
    }
    const signer = new SignatureV4({ service: this.service, region: region!, credentials: cred, sha256: Sha256, applyChecksum: false });
    const again = await signer.sign(
      { method: req.method, protocol: 'http:', hostname: url.hostname, path: req.url.split('?')[0]!, query, headers, body: req.body },
      { signingDate: date },
    );
    return one(again.headers.authorization)?.endsWith(`Signature=${signature}`) ? 'ok' : 'mismatch';
  }
}
