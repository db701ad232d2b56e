import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolateString, interpolateTree } from './interpolate.js';

const env = { KEY: 'sk-test-FAKE', EMPTY: '' };

test('replaces ${VAR} anywhere in a string', () => {
  assert.deepEqual(interpolateString('Bearer ${KEY}!', env), { value: 'Bearer sk-test-FAKE!', problems: [] });
});

test('${VAR:-default} uses the default when unset or empty (shell semantics)', () => {
  assert.equal(interpolateString('${NOPE:-http://localhost:11434/v1}', env).value, 'http://localhost:11434/v1');
  assert.equal(interpolateString('${EMPTY:-x}', env).value, 'x');
  assert.equal(interpolateString('${KEY:-x}', env).value, 'sk-test-FAKE');
  assert.equal(interpolateString('${NOPE:-}', env).value, '');
});

test('$${...} is a literal ${...}', () => {
  assert.deepEqual(interpolateString('price $${KEY} and ${KEY}', env), { value: 'price ${KEY} and sk-test-FAKE', problems: [] });
});

test('a missing variable without default is a problem naming it', () => {
  assert.deepEqual(interpolateString('${OPENAI_API_KEY}', env).problems, ['environment variable OPENAI_API_KEY is not set']);
});

test('malformed references are problems, not silent text', () => {
  assert.match(interpolateString('${not valid}', env).problems[0] ?? '', /invalid variable reference/);
  assert.match(interpolateString('abc ${KEY', env).problems[0] ?? '', /unterminated/);
});

test('walks nested lists and mappings, leaves keys and non-strings alone, reports paths', () => {
  const r = interpolateTree({ providers: [{ api_key: '${MISSING}', port: 4000, headers: { '${KEY}': '${KEY}' } }] }, env);
  assert.deepEqual(r.value, { providers: [{ api_key: undefined, port: 4000, headers: { '${KEY}': 'sk-test-FAKE' } }] });
  assert.deepEqual(r.issues, [{ path: 'providers[0].api_key', message: 'environment variable MISSING is not set' }]);
  assert.deepEqual([...r.failed], ['providers[0].api_key']);
});
