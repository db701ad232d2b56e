/**
 * Validation messages: each problem names the file, the exact YAML path, what is
 * wrong and what was expected; all problems come in one ConfigError, one per line.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from './config-error.js';
import { parseConfigText } from './parse-config.js';

const PROVIDERS = `
providers:
  - { name: openai-main, type: openai, api_key: sk-test-FAKE }
  - { name: claude, type: anthropic }
`;

/** The error's lines, for exact assertions. */
function problems(yaml: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfigText(yaml, 'gw.yaml', env);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.issues.length, e.message.split('\n').length);
    return e.message.split('\n');
  }
  assert.fail('expected a ConfigError');
}

test('missing env variable: file, path and variable', () => {
  assert.deepEqual(problems('providers:\n  - { name: o, type: openai, api_key: "${OPENAI_API_KEY}" }\n'), [
    'gw.yaml: providers[0].api_key: environment variable OPENAI_API_KEY is not set',
  ]);
});

test('unknown provider in a target, with did-you-mean and the defined names', () => {
  const yaml = `${PROVIDERS}models:\n  - { name: a, targets: [{ provider: openai-main, model: m }] }\n  - { name: b, targets: [{ provider: openai-main, model: m }, { provider: claud, model: m }] }\n`;
  assert.deepEqual(problems(yaml), [
    'gw.yaml: models[1].targets[1].provider: unknown provider "claud" (did you mean "claude"?); defined providers: openai-main, claude',
  ]);
});

test('unknown keys are rejected with a did-you-mean and the allowed keys', () => {
  assert.deepEqual(problems('providers:\n  - { name: o, type: openai, bse_url: "https://x.example" }\n'), [
    'gw.yaml: providers[0].bse_url: unknown key (did you mean "base_url"?); allowed keys: name, type, base_url, api_key, headers, query, auth_header, region, project, profile, access_key_id, secret_access_key, session_token, inference_profile, credentials_file, resource, api_version, deployments, model_ids',
  ]);
  assert.deepEqual(problems('server: { prot: 1 }\n'), [
    'gw.yaml: server.prot: unknown key (did you mean "port"?); allowed keys: host, port, max_body_bytes, public_url, playground, drain, headers_timeout_ms, body_timeout_ms, body_read_timeout_ms, write_timeout_ms, keep_alive_timeout_ms, max_connections, max_messages, max_tools, cors',
  ]);
  assert.deepEqual(problems(`${PROVIDERS}models:\n  - { name: a, targets: [{ provider: claude, modle: m }] }\n`), [
    'gw.yaml: models[0].targets[0].model: missing; expected the upstream model id, e.g. gpt-4o-mini',
    'gw.yaml: models[0].targets[0].modle: unknown key (did you mean "model"?); allowed keys: provider, model, weight',
  ]);
  assert.deepEqual(problems('model: []\n'), ['gw.yaml: model: unknown key (did you mean "models"?); allowed keys: server, providers, models, routing, alerts, status, journal, storage, metrics, telemetry, auth, allow_unauthenticated_public, guard']);
});

test('unknown provider type', () => {
  assert.deepEqual(problems('providers:\n  - { name: o, type: opnai }\n'), [
    'gw.yaml: providers[0].type: unknown provider type "opnai" (did you mean "openai"?); expected one of openai, openai-compatible, anthropic, gemini, bedrock, vertex-anthropic, vertex-gemini, azure-openai',
  ]);
});

test('duplicate provider and model names', () => {
  const yaml = `${PROVIDERS}  - { name: claude, type: anthropic }\nmodels:\n  - { name: chat, targets: [{ provider: claude, model: m }] }\n  - { name: chat, targets: [{ provider: claude, model: m }] }\n`;
  assert.deepEqual(problems(yaml), [
    'gw.yaml: providers[2].name: duplicate provider name "claude"; provider names must be unique',
    'gw.yaml: models[1].name: duplicate model name "chat"; model names must be unique',
  ]);
});

test('a model with no targets, or without a targets list', () => {
  assert.deepEqual(problems('models:\n  - { name: chat, targets: [] }\n  - { name: smart }\n'), [
    'gw.yaml: models[0].targets: no targets; list at least one { provider, model }',
    'gw.yaml: models[1].targets: missing; expected a list of { provider, model } targets',
  ]);
});

test('ports out of range and bad sizes', () => {
  assert.deepEqual(problems('server: { port: 70000, max_body_bytes: 0 }\n'), [
    'gw.yaml: server.port: 70000 is out of range; expected an integer from 0 to 65535 (0 = any free port)',
    'gw.yaml: server.max_body_bytes: 0 is out of range; expected a positive integer number of bytes',
  ]);
  assert.deepEqual(problems('server: { port: -1 }\n'), ['gw.yaml: server.port: -1 is out of range; expected an integer from 0 to 65535 (0 = any free port)']);
  assert.deepEqual(problems('server: { port: http }\n'), ['gw.yaml: server.port: expected an integer from 0 to 65535 (0 = any free port), got a string']);
});

test('base_url must be an http(s) URL; openai-compatible requires one', () => {
  assert.deepEqual(problems('providers:\n  - { name: a, type: openai, base_url: "ftp://x.example" }\n  - { name: b, type: openai-compatible }\n  - { name: c, type: gemini, base_url: not a url }\n'), [
    'gw.yaml: providers[0].base_url: not a valid http(s) URL; expected something like https://api.openai.com/v1',
    'gw.yaml: providers[2].base_url: not a valid http(s) URL; expected something like https://api.openai.com/v1',
    'gw.yaml: providers[1].base_url: required for type openai-compatible; expected the server\'s API root, e.g. http://localhost:11434/v1 (Ollama)',
  ]);
});

test('bad provider names and wrong types', () => {
  assert.deepEqual(problems('providers:\n  - { name: "my provider", type: openai, headers: [a] }\n'), [
    'gw.yaml: providers[0].name: may only contain letters, digits, "_", "." and "-"',
    'gw.yaml: providers[0].headers: expected a mapping of header names to values, got a list',
  ]);
  assert.deepEqual(problems('providers: { name: x }\n'), ['gw.yaml: providers: expected a list of providers, got a mapping']);
  assert.deepEqual(problems('- a\n'), ['gw.yaml: expected a mapping with server, providers and models, got a list']);
});

test('all problems are reported together, one per line', () => {
  const yaml = `
server: { port: 99999 }
providers:
  - { name: o, type: openai, api_key: "\${NOPE}" }
  - { name: o, type: nope }
models:
  - { name: chat, targets: [{ provider: x, model: m }] }
`;
  assert.equal(problems(yaml).length, 5);
});

test('invalid YAML reports line and column, once', () => {
  assert.deepEqual(problems('providers:\n  - name: a\n   type: [\n'), ['gw.yaml: line 3, column 1: invalid YAML: Sequence item without - indicator']);
});

test('unquoted ${VAR} inside { ... } gets a hint to quote it', () => {
  const [line] = problems('providers:\n  - { name: a, type: openai, api_key: ${KEY} }\n', { KEY: 'sk-test-FAKE' });
  assert.match(line ?? '', /^gw\.yaml: line 2, column \d+: invalid YAML: .*quote values that contain \$\{\.\.\.\}/);
});

test('secrets never appear in error messages', () => {
  const secret = 'sk-test-SECRET-123456';
  const yaml = `
providers:
  - name: o
    type: openai
    api_key: ["\${KEY}"]
    headers: { Authorization: { bad: "\${KEY}" } }
    base_url: "\${KEY}"
  - { name: p, type: openai, api_key: 42 }
`;
  const out = problems(yaml, { KEY: secret }).join('\n');
  assert.doesNotMatch(out, /SECRET/);
  assert.match(out, /providers\[0\]\.api_key: expected a string/);
  assert.match(out, /providers\[1\]\.api_key: expected a string/);
});

test('headers and query values may be YAML numbers or booleans', () => {
  const c = parseConfigText('providers:\n  - { name: o, type: openai, headers: { X-N: 1 }, query: { v: true } }\n', 'gw.yaml', {});
  assert.deepEqual(c.providers[0]?.headers, { 'X-N': '1' });
  assert.deepEqual(c.providers[0]?.query, { v: 'true' });
});

describe('routing settings', () => {
  const base = `providers:\n  - { name: a, type: openai, api_key: k }\n  - { name: b, type: anthropic, api_key: k }\n`;
  test('defaults apply, top-level routing overrides them, a model overrides both', () => {
    const c = parseConfigText(
      base +
        'routing: { max_attempts: 2, ttft_timeout_ms: 5000, breaker: { consecutive_failures: 3 } }\n' +
        'models:\n  - name: chat\n    targets: [{ provider: a, model: m, weight: 3 }, { provider: b, model: n }]\n    routing: { strategy: weighted, hedge: { enabled: true, after_ms: 800 } }\n  - { name: plain, targets: [{ provider: a, model: m }] }\n',
      'x.yaml',
      {},
    );
    const chat = c.models[0]!;
    assert.equal(chat.targets[0]!.weight, 3);
    assert.equal(chat.policy!.strategy, 'weighted');
    assert.equal(chat.policy!.hedge, true);
    assert.equal(chat.policy!.hedgeAfterMs, 800);
    assert.equal(chat.policy!.maxAttempts, 2, 'inherited from routing:');
    assert.equal(chat.policy!.breaker.consecutiveFailures, 3);
    assert.equal(chat.policy!.breaker.halfOpenProbes, 2, 'untouched defaults stay');
    assert.equal(c.models[1]!.policy!.strategy, 'ordered');
    assert.equal(c.models[1]!.policy!.ttftTimeoutMs, 5000);
  });

  test('bad routing values are reported with their path', () => {
    assert.throws(
      () => parseConfigText(base + 'routing: { strategy: random, max_attempts: 0, retry_budget: { ratio: 2 } }\nmodels: []\n', 'x.yaml', {}),
      (e: unknown) => {
        const m = String((e as Error).message);
        return /routing\.strategy/.test(m) && /routing\.max_attempts/.test(m) && /routing\.retry_budget\.ratio/.test(m);
      },
    );
  });
});
