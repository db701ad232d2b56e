import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfigText } from './parse-config.js';
import { autoConfigure } from './auto-config.js';
import { checkGeminiBaseUrl } from './gemini-base-url.js';

test('a bare origin gets /v1beta, with a note; a versioned URL is left alone', () => {
  const fixed = checkGeminiBaseUrl('g', 'https://generativelanguage.googleapis.com');
  assert.equal(fixed.baseUrl, 'https://generativelanguage.googleapis.com/v1beta');
  assert.match(fixed.note!, /^provider g: base_url https:\/\/generativelanguage\.googleapis\.com has no API version path.*404.*using https:\/\/generativelanguage\.googleapis\.com\/v1beta/);
  for (const url of ['https://generativelanguage.googleapis.com/v1beta', 'https://generativelanguage.googleapis.com/v1', 'https://generativelanguage.googleapis.com/v1alpha', 'https://gateway.ai.cloudflare.com/v1/acct/gw/google-ai-studio/v1beta']) {
    assert.deepEqual(checkGeminiBaseUrl('g', url), { baseUrl: url });
  }
});

test("a proxy path without a version is warned about, not changed: its layout is the proxy's", () => {
  const url = 'https://gateway.ai.cloudflare.com/v1/acct/gw/google-ai-studio';
  const r = checkGeminiBaseUrl('g', url);
  assert.equal(r.baseUrl, url);
  assert.match(r.note!, /^warning: provider g: .*does not end in an API version.*append \/v1beta/);
});

test('the configuration file and GEMINI_BASE_URL both get the check; the note reaches config.notes', () => {
  const config = parseConfigText('providers:\n  - { name: g, type: gemini, api_key: k, base_url: "https://generativelanguage.googleapis.com/" }\nmodels:\n  - { name: m, targets: [{ provider: g, model: gemini-2.5-flash }] }\n', 'gw.yaml', {});
  assert.equal(config.providers[0]!.baseUrl, 'https://generativelanguage.googleapis.com/v1beta');
  assert.equal(config.notes.length, 1);
  assert.match(config.notes[0]!, /no API version path/);
  const env = autoConfigure({ GEMINI_API_KEY: 'k', GEMINI_BASE_URL: 'https://generativelanguage.googleapis.com' });
  assert.equal(env.providers[0]!.baseUrl, 'https://generativelanguage.googleapis.com/v1beta');
  assert.ok(env.notes.some((n) => /no API version path/.test(n)));
  // The default needs nothing.
  assert.deepEqual(parseConfigText('providers:\n  - { name: g, type: gemini, api_key: k }\nmodels:\n  - { name: m, targets: [{ provider: g, model: x }] }\n', 'gw.yaml', {}).notes, []);
});
