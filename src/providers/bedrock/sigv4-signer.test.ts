/**
 * The signer against AWS's published Signature Version 4 test suite (aws-sig-v4-test-suite, as
 * shipped with the AWS General Reference and in awslabs/aws-c-auth tests/aws-sig-v4-test-suite):
 * the vectors' credentials, date, region and service, and the `.authz` each vector publishes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SigV4Signer } from './sigv4-signer.js';

const SUITE = {
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  region: 'us-east-1',
  service: 'service',
  date: new Date('2015-08-30T12:36:00Z'),
};

const signer = new SigV4Signer({ service: SUITE.service, region: SUITE.region, credentials: async () => SUITE.credentials });
const scope = 'Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';

const VECTORS: Array<{ name: string; method: 'GET' | 'POST'; url: string; headers: Record<string, string>; body: string; authz: string }> = [
  {
    name: 'get-vanilla',
    method: 'GET',
    url: 'https://example.amazonaws.com/',
    headers: {},
    body: '',
    authz: `AWS4-HMAC-SHA256 ${scope}, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`,
  },
  {
    name: 'post-vanilla',
    method: 'POST',
    url: 'https://example.amazonaws.com/',
    headers: {},
    body: '',
    authz: `AWS4-HMAC-SHA256 ${scope}, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b`,
  },
  {
    name: 'get-vanilla-query-order-key-case',
    method: 'GET',
    url: 'https://example.amazonaws.com/?Param2=value2&Param1=value1',
    headers: {},
    body: '',
    authz: `AWS4-HMAC-SHA256 ${scope}, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500`,
  },
  {
    name: 'post-x-www-form-urlencoded',
    method: 'POST',
    url: 'https://example.amazonaws.com/',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'Param1=value1',
    authz: `AWS4-HMAC-SHA256 ${scope}, SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a`,
  },
];

for (const v of VECTORS) {
  test(`SigV4 test suite: ${v.name}`, async () => {
    const headers = await signer.sign({ method: v.method, url: v.url, headers: v.headers, body: v.body }, SUITE.date);
    assert.equal(headers.authorization, v.authz);
    assert.equal(headers['x-amz-date'], '20150830T123600Z');
    assert.equal(headers.host, 'example.amazonaws.com');
    assert.equal(headers['x-amz-security-token'], undefined);
  });
}

test('a session token is sent and signed; the headers given are not changed', async () => {
  const withToken = new SigV4Signer({ service: 'bedrock', region: 'us-east-1', credentials: async () => ({ ...SUITE.credentials, sessionToken: 'FQoGZXIvYXdzEXAMPLE-session' }) });
  const given = { 'content-type': 'application/json', connection: 'keep-alive' };
  const headers = await withToken.sign({ method: 'POST', url: 'https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke', headers: given, body: '{}' }, SUITE.date);
  assert.equal(headers['x-amz-security-token'], 'FQoGZXIvYXdzEXAMPLE-session');
  assert.match(headers.authorization!, /SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/);
  assert.match(headers.authorization!, /Credential=AKIDEXAMPLE\/20150830\/us-east-1\/bedrock\/aws4_request/);
  assert.equal(headers.connection, undefined, 'connection is neither signed nor sent');
  assert.deepEqual(given, { 'content-type': 'application/json', connection: 'keep-alive' });
});
