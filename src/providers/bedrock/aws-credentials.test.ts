/**
 * The credential chain with obvious fakes (AKIDEXAMPLE-style keys), shared files written to a
 * temporary folder and named through AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE in an injected
 * environment: nothing reads the real ~/.aws, and nothing leaves the machine.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../core/clock.js';
import { RefreshingCredential } from '../refreshing-credential.js';
import { awsCredentialSource } from './aws-credentials.js';

let dir: string;
let files: { AWS_SHARED_CREDENTIALS_FILE: string; AWS_CONFIG_FILE: string };

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-aws-'));
  files = { AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config') };
  writeFileSync(
    files.AWS_SHARED_CREDENTIALS_FILE,
    [
      '[default]',
      'aws_access_key_id = AKIDEXAMPLEDEFAULT',
      'aws_secret_access_key = secretEXAMPLEdefault0000000000000000000',
      '',
      '[work]',
      'aws_access_key_id = AKIDEXAMPLEWORK',
      'aws_secret_access_key = secretEXAMPLEwork000000000000000000000',
      'aws_session_token = sessionEXAMPLEwork',
      '',
    ].join('\n'),
  );
  // A credential_process that hands out a new session token each time, valid for one hour (real time: the SDK checks it).
  const counter = join(dir, 'count');
  writeFileSync(counter, '0');
  const script = join(dir, 'issue.cjs');
  writeFileSync(
    script,
    `const fs = require('fs'); const n = Number(fs.readFileSync(${JSON.stringify(counter)}, 'utf8')) + 1; fs.writeFileSync(${JSON.stringify(counter)}, String(n));
console.log(JSON.stringify({ Version: 1, AccessKeyId: 'ASIAEXAMPLE' + n, SecretAccessKey: 'secretEXAMPLEtemp' + n, SessionToken: 'sessionEXAMPLEtemp' + n, Expiration: new Date(Date.now() + 3600e3).toISOString() }));`,
  );
  writeFileSync(files.AWS_CONFIG_FILE, ['[profile temp]', `credential_process = "${process.execPath}" "${script}"`, ''].join('\n'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('keys in the provider configuration win over everything else', async () => {
  const fetch = awsCredentialSource({ keys: { accessKeyId: 'AKIDEXAMPLECONFIG', secretAccessKey: 's' }, env: { ...files, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLEENV', AWS_SECRET_ACCESS_KEY: 'x' } });
  assert.deepEqual(await fetch(), { value: { accessKeyId: 'AKIDEXAMPLECONFIG', secretAccessKey: 's' } });
});

test('environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_CREDENTIAL_EXPIRATION', async () => {
  const env = { ...files, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLEENV', AWS_SECRET_ACCESS_KEY: 'secretEXAMPLEenv', AWS_SESSION_TOKEN: 'sessionEXAMPLEenv', AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z' };
  const got = await awsCredentialSource({ env })();
  assert.deepEqual(got, { value: { accessKeyId: 'AKIDEXAMPLEENV', secretAccessKey: 'secretEXAMPLEenv', sessionToken: 'sessionEXAMPLEenv' }, expiresAt: Date.parse('2030-01-01T00:00:00Z') });
});

test('shared credentials file: the default profile when the environment has no keys', async () => {
  const got = await awsCredentialSource({ env: files })();
  assert.equal(got.value.accessKeyId, 'AKIDEXAMPLEDEFAULT');
  assert.equal(got.value.sessionToken, undefined);
});

test('a named profile, from the configuration or AWS_PROFILE; a profile set means environment keys are not used', async () => {
  const env = { ...files, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLEENV', AWS_SECRET_ACCESS_KEY: 'x' };
  const configured = await awsCredentialSource({ profile: 'work', env })();
  assert.deepEqual(configured.value, { accessKeyId: 'AKIDEXAMPLEWORK', secretAccessKey: 'secretEXAMPLEwork000000000000000000000', sessionToken: 'sessionEXAMPLEwork' });
  const fromEnv = await awsCredentialSource({ env: { ...env, AWS_PROFILE: 'work' } })();
  assert.equal(fromEnv.value.accessKeyId, 'AKIDEXAMPLEWORK');
});

test('a profile that does not exist is an error naming the profile, not a credential', async () => {
  await assert.rejects(awsCredentialSource({ profile: 'nope', env: files })(), (e: Error) => /nope/.test(e.message) && !/secretEXAMPLE/.test(e.message));
});

test('an expiring session token (credential_process) is used until 5 minutes before it expires, then fetched anew', async () => {
  const clock = new ManualClock(Date.now());
  const cred = new RefreshingCredential(awsCredentialSource({ profile: 'temp', env: files }), clock);
  const first = await cred.get();
  assert.equal(first.accessKeyId, 'ASIAEXAMPLE1');
  assert.equal(first.sessionToken, 'sessionEXAMPLEtemp1');
  clock.advance(50 * 60_000);
  assert.equal((await cred.get()).sessionToken, 'sessionEXAMPLEtemp1');
  clock.advance(6 * 60_000);
  const second = await cred.get();
  assert.equal(second.accessKeyId, 'ASIAEXAMPLE2');
  assert.equal(second.sessionToken, 'sessionEXAMPLEtemp2');
});
