import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './index.js';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'switchyard-auto-'));
const load = (env: NodeJS.ProcessEnv) => loadConfig({ cwd: emptyDir(), env });

test('no file and no keys: valid, empty, and tells the user what to do', () => {
  const c = load({});
  assert.equal(c.source, 'environment');
  assert.deepEqual(c.providers, []);
  assert.deepEqual(c.models, []);
  assert.equal(c.notes.length, 1);
  assert.match(c.notes[0] ?? '', /OPENAI_API_KEY/);
  assert.match(c.notes[0] ?? '', /switchyard demo/);
});

test('every known key becomes a provider, with chat/smart/embed aliases in a fixed order', () => {
  const c = load({ OPENAI_API_KEY: 'sk-test-FAKE-1', ANTHROPIC_API_KEY: 'sk-ant-FAKE-2', GEMINI_API_KEY: 'gem-FAKE-3', PERPLEXITY_API_KEY: 'pplx-FAKE-4' });
  assert.deepEqual(
    c.providers.map((p) => [p.name, p.type, p.baseUrl]),
    [
      ['openai', 'openai', 'https://api.openai.com/v1'],
      ['anthropic', 'anthropic', 'https://api.anthropic.com'],
      ['gemini', 'gemini', 'https://generativelanguage.googleapis.com/v1beta'],
      ['perplexity', 'openai-compatible', 'https://api.perplexity.ai'],
    ],
  );
  assert.equal(c.providers[2]?.apiKey, 'gem-FAKE-3');
  const route = (name: string) => c.models.find((m) => m.name === name)?.targets.map((t) => `${t.provider}/${t.model}`);
  assert.deepEqual(route('chat'), ['openai/gpt-4o-mini', 'anthropic/claude-haiku-4-5', 'gemini/gemini-2.5-flash', 'perplexity/sonar']);
  assert.deepEqual(route('smart'), ['openai/gpt-4o', 'anthropic/claude-sonnet-4-5', 'gemini/gemini-2.5-pro']);
  assert.deepEqual(route('embed'), ['openai/text-embedding-3-small', 'gemini/gemini-embedding-001']);
  // Vendor model ids work as aliases of themselves.
  assert.deepEqual(route('gpt-4o'), ['openai/gpt-4o']);
  assert.deepEqual(route('sonar'), ['perplexity/sonar']);
  assert.equal(c.notes.length, 4);
  assert.match(c.notes[0] ?? '', /^found OPENAI_API_KEY: provider openai/);
});

test('only found providers appear; aliases skip the missing ones', () => {
  const c = load({ ANTHROPIC_API_KEY: 'sk-ant-FAKE' });
  assert.deepEqual(c.providers.map((p) => p.name), ['anthropic']);
  assert.deepEqual(c.models.map((m) => m.name), ['chat', 'smart', 'claude-haiku-4-5', 'claude-sonnet-4-5']);
});

test('GOOGLE_API_KEY works too, and wins when both are set (as Google SDKs do)', () => {
  assert.equal(load({ GOOGLE_API_KEY: 'g-FAKE-1' }).providers[0]?.apiKey, 'g-FAKE-1');
  const both = load({ GOOGLE_API_KEY: 'g-FAKE-1', GEMINI_API_KEY: 'g-FAKE-2' });
  assert.equal(both.providers[0]?.apiKey, 'g-FAKE-1');
  assert.match(both.notes[0] ?? '', /GEMINI_API_KEY also set, using GOOGLE_API_KEY/);
});

test('empty key variables count as not set', () => {
  assert.deepEqual(load({ OPENAI_API_KEY: '' }).providers, []);
});

test('*_BASE_URL overrides the base URL (trailing slash stripped); a bad one is an error', () => {
  const c = load({ OPENAI_API_KEY: 'sk-test-FAKE', OPENAI_BASE_URL: 'http://127.0.0.1:9999/v1/' });
  assert.equal(c.providers[0]?.baseUrl, 'http://127.0.0.1:9999/v1');
  assert.match(c.notes[0] ?? '', /from OPENAI_BASE_URL/);
  assert.throws(() => load({ OPENAI_API_KEY: 'sk-test-FAKE', OPENAI_BASE_URL: 'ftp://x' }), /environment: OPENAI_BASE_URL: not a valid http\(s\) URL/);
});

test('keys never appear in notes', () => {
  const c = load({ OPENAI_API_KEY: 'sk-test-SECRET-VALUE', GOOGLE_API_KEY: 'g-SECRET-VALUE', GEMINI_API_KEY: 'g2-SECRET-VALUE' });
  assert.doesNotMatch(c.notes.join('\n'), /SECRET/);
});
