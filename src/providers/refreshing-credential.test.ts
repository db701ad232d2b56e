import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../core/clock.js';
import { GatewayError } from '../core/errors.js';
import { credentialsUnavailable, RefreshingCredential } from './refreshing-credential.js';

const HOUR = 3_600_000;

test('a credential is fetched once, kept, and fetched again 5 minutes before it expires', async () => {
  const clock = new ManualClock();
  let n = 0;
  const cred = new RefreshingCredential(async () => ({ value: `token-${++n}`, expiresAt: clock.now() + HOUR }), clock);
  assert.equal(await cred.get(), 'token-1');
  clock.advance(HOUR - 5 * 60_000 - 1);
  assert.equal(await cred.get(), 'token-1');
  clock.advance(1);
  assert.equal(await cred.get(), 'token-2');
  assert.equal(n, 2);
});

test('requests during a refresh share one fetch', async () => {
  const clock = new ManualClock();
  let n = 0;
  const cred = new RefreshingCredential(async () => ({ value: ++n }), clock);
  const all = await Promise.all([cred.get(), cred.get(), cred.get()]);
  assert.deepEqual(all, [1, 1, 1]);
  assert.equal(await cred.get(), 1, 'no expiry: kept for good');
});

test('a short-lived credential is refreshed past half its life, not on every request', async () => {
  const clock = new ManualClock();
  let n = 0;
  const cred = new RefreshingCredential(async () => ({ value: ++n, expiresAt: clock.now() + 120_000 }), clock);
  await cred.get();
  clock.advance(59_000);
  assert.equal(await cred.get(), 1);
  clock.advance(1_000);
  assert.equal(await cred.get(), 2);
});

test('a refresh that fails ahead of expiry keeps the credential in hand until it lapses', async () => {
  const clock = new ManualClock();
  let fail = false;
  let n = 0;
  const cred = new RefreshingCredential(async () => {
    if (fail) throw new Error('token endpoint down');
    return { value: ++n, expiresAt: clock.now() + HOUR };
  }, clock);
  await cred.get();
  fail = true;
  clock.advance(HOUR - 60_000);
  assert.equal(await cred.get(), 1);
  clock.advance(60_000);
  await assert.rejects(cred.get(), /token endpoint down/);
  fail = false;
  assert.equal(await cred.get(), 2);
});

test('credentialsUnavailable: a typed, retryable error with one line of the cause and no cause object', () => {
  const e = credentialsUnavailable('bedrock-east', 'AWS credentials', new Error('Could not load credentials from any providers\nsecret details'));
  assert.ok(e instanceof GatewayError);
  assert.equal(e.code, 'upstream_credentials_unavailable');
  assert.equal(e.kind, 'transient');
  assert.equal(e.cause, undefined);
  assert.match(e.message, /^bedrock-east: could not obtain AWS credentials \(Could not load credentials from any providers\)\.$/);
});
