/**
 * Google OAuth through google-auth-library, without Google: a service-account JSON with a key made
 * here (an obvious fake), and the library's HTTP transport answered in-process. The token
 * request must be a JWT-bearer grant whose assertion is signed with that key (RS256) and asks for
 * the cloud-platform scope; the access token it returns is what the source hands out, with its
 * expiry, and a new one is asked for when the provider's cache says so.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../core/clock.js';
import { RefreshingCredential } from '../refreshing-credential.js';
import { CLOUD_PLATFORM_SCOPE, googleTokenSource } from './google-token-source.js';

let dir: string;
let keyFile: string;
let publicKey: KeyObject;
const EMAIL = 'switchyard-sim@sim-project.iam.gserviceaccount.com';

before(() => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  publicKey = pair.publicKey;
  dir = mkdtempSync(join(tmpdir(), 'switchyard-gcp-'));
  keyFile = join(dir, 'service-account.json');
  writeFileSync(
    keyFile,
    JSON.stringify({
      type: 'service_account',
      project_id: 'sim-project',
      private_key_id: 'FAKE-key-id-0000',
      private_key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      client_email: EMAIL,
      client_id: '000000000000000000000',
      token_uri: 'https://oauth2.googleapis.com/token',
    }),
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

const b64url = (s: string) => Buffer.from(s, 'base64url');

test('a service account key becomes a signed JWT-bearer grant, and its access token is handed out with its expiry', async () => {
  const asked: Array<{ url: string; claims: Record<string, unknown> }> = [];
  let n = 0;
  const fetchImplementation = async (input: unknown, init?: { body?: unknown }): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    const form = new URLSearchParams(String(init?.body ?? ''));
    assert.equal(form.get('grant_type'), 'urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [header, payload, signature] = (form.get('assertion') ?? '').split('.');
    assert.deepEqual(JSON.parse(b64url(header!).toString()), { alg: 'RS256' });
    assert.ok(verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, b64url(signature!)), 'signed with the service account key');
    asked.push({ url, claims: JSON.parse(b64url(payload!).toString()) as Record<string, unknown> });
    n++;
    return new Response(JSON.stringify({ access_token: `ya29.FAKE-token-${n}`, expires_in: 3599, token_type: 'Bearer' }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const clock = new ManualClock(Date.now());
  const source = googleTokenSource({ credentialsFile: keyFile, env: {}, clock, clientOptions: { transporterOptions: { fetchImplementation: fetchImplementation as typeof fetch } } });
  const first = await source();
  assert.equal(first.value, 'ya29.FAKE-token-1');
  assert.ok(first.expiresAt! > Date.now() + 3500_000 && first.expiresAt! <= Date.now() + 3600_000);
  assert.equal(asked.length, 1);
  assert.equal(asked[0]!.url, 'https://oauth2.googleapis.com/token');
  assert.equal(asked[0]!.claims.iss, EMAIL);
  assert.equal(asked[0]!.claims.scope, CLOUD_PLATFORM_SCOPE);
  assert.equal(asked[0]!.claims.aud, 'https://oauth2.googleapis.com/token');

  // The provider's cache asks again 5 minutes before expiry; the library really fetches (its own early-refresh window is wider).
  const cred = new RefreshingCredential(source, clock);
  assert.equal(await cred.get(), 'ya29.FAKE-token-2');
  clock.advance(54 * 60_000);
  assert.equal(await cred.get(), 'ya29.FAKE-token-2');
  clock.advance(2 * 60_000);
  assert.equal(await cred.get(), 'ya29.FAKE-token-3');
});

test('a token endpoint that refuses is an error without the key or the assertion in it', async () => {
  const fetchImplementation = async (): Promise<Response> =>
    new Response(JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }), { status: 400, headers: { 'content-type': 'application/json' } });
  const source = googleTokenSource({ credentialsFile: keyFile, env: {}, clock: new ManualClock(), clientOptions: { transporterOptions: { fetchImplementation: fetchImplementation as typeof fetch, retry: false } } });
  await assert.rejects(source(), (e: Error) => /invalid_grant/.test(e.message) && !/PRIVATE KEY|assertion=/.test(e.message));
});
