/** The error catalogue: every code once, each with a status that fits its kind, each documented in docs/errors.md. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';
import { gatewayError } from './errors.js';

const codes = Object.keys(ERROR_CODES) as ErrorCode[];

test('each code is built with its catalogued status and kind', () => {
  for (const code of codes) {
    const e = gatewayError(code, 'm');
    assert.deepEqual([e.code, e.status, e.kind], [code, ERROR_CODES[code].status, ERROR_CODES[code].kind]);
  }
});

test('statuses fit kinds: client errors are 4xx, upstream and gateway failures are 5xx (499 for abandoned work)', () => {
  for (const code of codes) {
    const { status, kind } = ERROR_CODES[code];
    if (kind === 'client_error') assert.ok(status >= 400 && status < 500, code);
    else if (kind === 'auth') assert.ok(status === 401 || status === 403, code);
    else if (kind === 'rate_limited' || kind === 'quota_exhausted') assert.equal(status, 429, code);
    else assert.ok(status >= 499, code);
  }
});

test('codes are unique and each is documented in docs/errors.md, which lists nothing else', () => {
  assert.equal(new Set(codes).size, codes.length);
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const documented = [...doc.matchAll(/^\| `([a-z_]+)` \| (\d+) \| ([a-z_]+) \| (.+) \|$/gm)].map((m) => ({ code: m[1]!, status: Number(m[2]), kind: m[3]!, means: m[4]! }));
  assert.deepEqual(
    documented,
    codes.map((code) => ({ code, status: ERROR_CODES[code].status, kind: ERROR_CODES[code].kind, means: ERROR_CODES[code].means })),
    'docs/errors.md is out of date: run node --import tsx scripts/errors-doc.mjs',
  );
});
