/**
 * The command line: help for every command, arg errors exit 2 with a message
 * and usage, config errors exit 1 without a stack, `check` shows routes but
 * never keys. Commands are called in-process with captured output; one test
 * spawns the real entry point to prove exit codes reach the shell.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './main.js';
import { testIo } from './test-io.js';
import { COMMANDS, USAGE } from './usage.js';

const SAMPLE = `
providers:
  - name: openai-main
    type: openai
    api_key: \${OPENAI_API_KEY}
    headers: { OpenAI-Organization: org-SECRETISH-123 }
  - name: claude
    type: anthropic
    api_key: \${ANTHROPIC_API_KEY:-}
  - name: ollama
    type: openai-compatible
    base_url: http://localhost:11434/v1/
models:
  - name: chat
    targets:
      - { provider: openai-main, model: gpt-4o-mini }
      - { provider: claude, model: claude-haiku-4-5 }
  - name: local
    targets: [{ provider: ollama, model: llama3.2 }]
`;
const SECRET = 'sk-test-FAKE-do-not-print-0123456789';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test('check prints each model with its targets and each provider with key set/not set, never the key', async () => {
  const io = testIo({ cwd: dirWith({ 'gw.yaml': SAMPLE }), env: { OPENAI_API_KEY: SECRET } });
  assert.equal(await main(['check', '--config', 'gw.yaml'], io), 0);
  const out = io.out();
  assert.match(out, /^Configuration from gw\.yaml: valid$/m);
  assert.match(out, /^ {2}openai-main +openai +https:\/\/api\.openai\.com\/v1 +key: set$/m);
  assert.match(out, /^ {2}claude +anthropic +https:\/\/api\.anthropic\.com +key: not set$/m);
  assert.match(out, /^ {2}ollama +openai-compatible +http:\/\/localhost:11434\/v1 +key: not set$/m);
  assert.match(out, /^ {2}chat\n {4}1\. gpt-4o-mini {2}via openai-main \(openai, https:\/\/api\.openai\.com\/v1\)\n {4}2\. claude-haiku-4-5 {2}via claude \(anthropic, https:\/\/api\.anthropic\.com\)$/m);
  assert.match(out, /^ {4}1\. llama3\.2 {2}via ollama \(openai-compatible, http:\/\/localhost:11434\/v1\)$/m);
  // Header names are shown, values are not (they are often credentials).
  assert.match(out, /headers: OpenAI-Organization/);
  assert.doesNotMatch(out + io.err(), /SECRETISH|sk-test-FAKE/);
  // A key-less anthropic provider is valid but worth a warning.
  assert.match(out, /provider claude has no api_key/);
});

test('check with an invalid config: exit 1, every problem listed, no stack', async () => {
  const io = testIo({ cwd: dirWith({ 'switchyard.yaml': 'providers:\n  - { name: a, type: opnai }\nmodels:\n  - { name: chat, targets: [] }\n' }) });
  assert.equal(await main(['check'], io), 1);
  assert.equal(
    io.err(),
    'Configuration errors (2):\n' +
      'switchyard.yaml: providers[0].type: unknown provider type "opnai" (did you mean "openai"?); expected one of openai, openai-compatible, anthropic, gemini, bedrock, vertex-anthropic, vertex-gemini, azure-openai\n' +
      'switchyard.yaml: models[0].targets: no targets; list at least one { provider, model }\n',
  );
  assert.equal(io.out(), '');
});

test('check says when a gemini base_url lacks its version path (fixed for a bare origin, a warning for a proxy path)', async () => {
  const yaml =
    'providers:\n' +
    '  - { name: g, type: gemini, api_key: k, base_url: "https://generativelanguage.googleapis.com" }\n' +
    '  - { name: p, type: gemini, api_key: k, base_url: "https://proxy.example/google" }\n' +
    'models:\n  - { name: m, targets: [{ provider: g, model: gemini-2.5-flash }, { provider: p, model: gemini-2.5-flash }] }\n';
  const io = testIo({ cwd: dirWith({ 'gw.yaml': yaml }) });
  assert.equal(await main(['check', '--config', 'gw.yaml'], io), 0);
  assert.match(io.out(), /^ {2}g +gemini +https:\/\/generativelanguage\.googleapis\.com\/v1beta +key: set$/m);
  assert.match(io.out(), /Notes:\n {2}- provider g: base_url https:\/\/generativelanguage\.googleapis\.com has no API version path/);
  assert.match(io.out(), /- warning: provider p: base_url https:\/\/proxy\.example\/google does not end in an API version/);
});

test('check from the environment alone shows the auto-config notes', async () => {
  const io = testIo({ cwd: dirWith({}), env: { ANTHROPIC_API_KEY: SECRET } });
  assert.equal(await main(['check'], io), 0);
  assert.match(io.out(), /Configuration from environment: valid/);
  assert.match(io.out(), /found ANTHROPIC_API_KEY: provider anthropic/);
  assert.doesNotMatch(io.out(), /sk-test-FAKE/);
});

test('every command has --help and -h, and `help <command>` prints the same', async () => {
  for (const cmd of COMMANDS) {
    assert.match(USAGE[cmd], new RegExp(`^Usage: switchyard ${cmd}`));
    for (const argv of [[cmd, '--help'], [cmd, '-h'], ['help', cmd]]) {
      const io = testIo();
      assert.equal(await main(argv, io), 0, argv.join(' '));
      assert.equal(io.out(), USAGE[cmd], argv.join(' '));
    }
  }
  for (const argv of [['--help'], ['-h'], ['help']]) {
    const io = testIo();
    assert.equal(await main(argv, io), 0);
    assert.equal(io.out(), USAGE['']);
    for (const cmd of COMMANDS) assert.match(io.out(), new RegExp(`^ {2}${cmd} `, 'm'));
  }
});

test('--version prints the package version', async () => {
  const io = testIo();
  assert.equal(await main(['--version'], io), 0);
  assert.match(io.out(), /^\d+\.\d+\.\d+.*\n$/);
});

test('wrong command lines exit 2 with a clear message and the right usage', async () => {
  const cases: [string[], RegExp, string][] = [
    [['serve', '--prot', '80'], /^switchyard serve: unknown option --prot \(did you mean "--port"\?\)\n\n/, 'serve'],
    [['check', '--foo'], /^switchyard check: unknown option --foo\n\n/, 'check'],
    [['check', 'extra'], /^switchyard check: unexpected argument "extra"\n\n/, 'check'],
    [['serve', '--port'], /^switchyard serve: option --port needs a value\n\n/, 'serve'],
    [['serve', '--port', 'eighty'], /^invalid --port "eighty": expected an integer from 0 to 65535/, 'serve'],
    [['demo', '--port', '70000'], /^invalid --port "70000"/, 'demo'],
    [['serv'], /^switchyard: unknown command "serv" \(did you mean "serve"\?\)\n\n/, ''],
    [['--nope'], /^switchyard: unknown option --nope\n\n/, ''],
    [[], /^switchyard: missing command\n\n/, ''],
    [['help', 'bogus'], /^switchyard help: unknown command "bogus"/, 'help'],
  ];
  for (const [argv, message, cmd] of cases) {
    const io = testIo();
    assert.equal(await main(argv, io), 2, argv.join(' '));
    assert.match(io.err(), message, argv.join(' '));
    assert.ok(io.err().endsWith(USAGE[cmd as keyof typeof USAGE]), `usage for ${argv.join(' ')}`);
    assert.equal(io.out(), '');
  }
});

test('the real entry point: exit codes reach the shell, errors have no stack', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  const help = run('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: switchyard <command>/);
  const bad = run('check', '--bogus');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown option --bogus/);
  const missing = run('check', '--config', 'does-not-exist.yaml');
  assert.equal(missing.status, 1);
  assert.equal(missing.stderr, 'Configuration error:\ndoes-not-exist.yaml: file not found\n');
});
