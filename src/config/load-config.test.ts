import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './index.js';
import { DEFAULT_SERVER_HARDENING } from './server-hardening-schema.js';

function tmp(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const VALID = `
server: { host: 0.0.0.0, port: 8080, max_body_bytes: 2048, public_url: "http://gw.example:8080/" }
providers:
  - name: openai-main
    type: openai
    api_key: \${OPENAI_API_KEY}
    headers: { OpenAI-Organization: org-123 }
  - name: azure
    type: openai-compatible
    base_url: https://my.openai.azure.com/openai/deployments/gpt4o/
    api_key: \${AZURE_KEY}
    query: { api-version: 2024-10-21 }
    auth_header: api-key
  - name: ollama
    type: openai-compatible
    base_url: \${OLLAMA_URL:-http://localhost:11434/v1}
    api_key: \${OLLAMA_KEY:-}
  - { name: claude, type: anthropic, api_key: "\${ANTHROPIC_API_KEY}" }
  - { name: gem, type: gemini, api_key: "\${GEMINI_API_KEY}" }
models:
  - name: chat
    targets:
      - { provider: openai-main, model: gpt-4o-mini }
      - { provider: claude, model: claude-haiku-4-5 }
  - name: local
    targets: [{ provider: ollama, model: llama3.2 }]
`;
const ENV = { OPENAI_API_KEY: 'sk-test-FAKE-openai', AZURE_KEY: 'azure-FAKE-key', ANTHROPIC_API_KEY: 'sk-ant-FAKE', GEMINI_API_KEY: 'gem-FAKE-key' };

test('loads a valid file: defaults per type, trailing slashes stripped, env interpolated', () => {
  const dir = tmp({ 'gw.yaml': VALID });
  const c = loadConfig({ path: 'gw.yaml', cwd: dir, env: ENV });
  assert.equal(c.source, 'gw.yaml');
  assert.deepEqual(c.server, { host: '0.0.0.0', port: 8080, maxBodyBytes: 2048, publicUrl: 'http://gw.example:8080', hardening: DEFAULT_SERVER_HARDENING });
  assert.deepEqual(c.providers[0], {
    name: 'openai-main',
    type: 'openai',
    baseUrl: 'https://api.openai.com/v1',
    apiKey: 'sk-test-FAKE-openai',
    headers: { 'OpenAI-Organization': 'org-123' },
    query: {},
  });
  assert.deepEqual(c.providers[1], {
    name: 'azure',
    type: 'openai-compatible',
    baseUrl: 'https://my.openai.azure.com/openai/deployments/gpt4o',
    apiKey: 'azure-FAKE-key',
    headers: {},
    query: { 'api-version': '2024-10-21' },
    authHeader: 'api-key',
  });
  // `${OLLAMA_KEY:-}` resolving to '' means no key at all.
  assert.equal(c.providers[2]?.baseUrl, 'http://localhost:11434/v1');
  assert.equal('apiKey' in (c.providers[2] ?? {}), false);
  assert.equal(c.providers[3]?.baseUrl, 'https://api.anthropic.com');
  assert.equal(c.providers[4]?.baseUrl, 'https://generativelanguage.googleapis.com/v1beta');
  assert.deepEqual(c.models, [
    { name: 'chat', targets: [{ provider: 'openai-main', model: 'gpt-4o-mini' }, { provider: 'claude', model: 'claude-haiku-4-5' }] },
    { name: 'local', targets: [{ provider: 'ollama', model: 'llama3.2' }] },
  ]);
});

test('server defaults: 127.0.0.1, port 4000, 10 MiB bodies', () => {
  const dir = tmp({ 'switchyard.yaml': 'providers: []\nmodels: []\n' });
  const c = loadConfig({ cwd: dir, env: {} });
  assert.equal(c.source, 'switchyard.yaml');
  assert.deepEqual(c.server, { host: '127.0.0.1', port: 4000, maxBodyBytes: 10 * 1024 * 1024, hardening: DEFAULT_SERVER_HARDENING });
});

test('an empty file is a valid, empty config', () => {
  const c = loadConfig({ path: 'e.yaml', cwd: tmp({ 'e.yaml': '' }), env: {} });
  assert.deepEqual(c.providers, []);
  assert.deepEqual(c.models, []);
});

test('port precedence: --port > PORT > file > default', () => {
  const dir = tmp({ 'switchyard.yaml': 'server: { port: 5000 }\n' });
  assert.equal(loadConfig({ cwd: dir, env: {} }).server.port, 5000);
  assert.equal(loadConfig({ cwd: dir, env: { PORT: '6000' } }).server.port, 6000);
  assert.equal(loadConfig({ cwd: dir, env: { PORT: '6000' }, port: 7000 }).server.port, 7000);
  assert.equal(loadConfig({ cwd: tmp(), env: {} }).server.port, 4000);
  assert.equal(loadConfig({ cwd: tmp(), env: { PORT: '6000' } }).server.port, 6000);
  // YAML may take the port from the environment too.
  const d2 = tmp({ 'switchyard.yaml': 'server: { port: "${GW_PORT:-4100}" }\n' });
  assert.equal(loadConfig({ cwd: d2, env: {} }).server.port, 4100);
});

test('a bad PORT or --port is a ConfigError naming its source', () => {
  assert.throws(() => loadConfig({ cwd: tmp(), env: { PORT: 'eighty' } }), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, /^environment: PORT: expected an integer from 0 to 65535/);
    return true;
  });
  assert.throws(() => loadConfig({ cwd: tmp(), env: {}, port: 70000 }), /--port: 70000 is out of range/);
});

test('--host overrides the file', () => {
  const dir = tmp({ 'switchyard.yaml': 'server: { host: 10.0.0.1 }\n' });
  assert.equal(loadConfig({ cwd: dir, env: {}, host: '0.0.0.0' }).server.host, '0.0.0.0');
});

test('a missing file is a clear error', () => {
  assert.throws(() => loadConfig({ path: 'nope.yaml', cwd: tmp(), env: {} }), /^ConfigError: nope.yaml: file not found$|nope.yaml: file not found/);
});

test('switchyard.example.yaml at the repo root is valid', () => {
  const path = new URL('../../switchyard.example.yaml', import.meta.url).pathname;
  const c = loadConfig({ path, env: { OPENAI_API_KEY: 'sk-test-FAKE', ANTHROPIC_API_KEY: 'sk-ant-FAKE', GEMINI_API_KEY: 'g-FAKE' } });
  assert.deepEqual(c.models.map((m) => m.name), ['chat', 'smart', 'embed']);
  assert.deepEqual(c.server, { host: '127.0.0.1', port: 4000, maxBodyBytes: 10485760, hardening: DEFAULT_SERVER_HARDENING });
});
