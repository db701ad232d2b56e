/**
 * serve loads its configuration in a worker thread, so the parser and schemas
 * don't stay in the gateway's memory: the result must be exactly loadConfig's,
 * errors included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import { loadConfigIsolated } from './load-config-isolated.js';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-isolated-'));
writeFileSync(
  join(dir, 'switchyard.yaml'),
  'providers:\n  - { name: main, type: openai, api_key: "${KEY}" }\nmodels:\n  - { name: chat, targets: [{ provider: main, model: gpt-4o-mini }] }\n',
);
writeFileSync(join(dir, 'bad.yaml'), 'server: { port: "x" }\nproviders: []\n');

test('a config loaded in the worker equals loadConfig\'s, with env, cwd and --port applied', async () => {
  const opts = { env: { KEY: 'sk-test-FAKE', PORT: '4100' }, cwd: dir, port: 4200 };
  const config = await loadConfigIsolated(opts);
  assert.deepEqual(config, loadConfig(opts));
  assert.equal(config.server.port, 4200);
  assert.equal(config.providers[0]?.apiKey, 'sk-test-FAKE');
});

test('a bad config is the same ConfigError, file, path and message', async () => {
  const opts = { path: 'bad.yaml', env: {}, cwd: dir };
  let expected: unknown;
  try {
    loadConfig(opts);
  } catch (e) {
    expected = e;
  }
  assert.ok(expected instanceof ConfigError);
  await assert.rejects(loadConfigIsolated(opts), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.source, 'bad.yaml');
    assert.equal(e.message, expected.message);
    assert.deepEqual(e.issues, expected.issues);
    return true;
  });
  await assert.rejects(loadConfigIsolated({ path: 'missing.yaml', env: {}, cwd: dir }), /missing\.yaml: file not found/);
});
