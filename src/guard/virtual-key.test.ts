import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { digestsEqual, generateKey, hashKey, keyPrefix, looksLikeKey, presentedKey } from './virtual-key.js';

describe('virtual keys', () => {
  it('are sk-sy- and 43 base62 characters carrying all 256 random bits', () => {
    const k = generateKey();
    assert.match(k.secret, /^sk-sy-[0-9A-Za-z]{43}$/);
    assert.equal(k.hash, createHash('sha256').update(k.secret).digest('hex'));
    assert.equal(k.prefix, k.secret.slice(0, 10));
    // The encoding is a bijection on 32 bytes: the extremes map to distinct, full-length strings.
    assert.equal(generateKey(() => Buffer.alloc(32, 0)).secret, `sk-sy-${'0'.repeat(43)}`);
    const max = generateKey(() => Buffer.alloc(32, 0xff)).secret;
    assert.match(max, /^sk-sy-[0-9A-Za-z]{43}$/);
    let n = 0n;
    for (const c of max.slice(6)) n = n * 62n + BigInt('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.indexOf(c));
    assert.equal(n, 2n ** 256n - 1n);
    const many = new Set(Array.from({ length: 1000 }, () => generateKey().secret));
    assert.equal(many.size, 1000);
  });

  it('are found in x-api-key or Authorization: Bearer, preferring the one that is a virtual key', () => {
    const key = 'sk-sy-test0000000000000000000000000000000000000';
    assert.equal(presentedKey({ authorization: `Bearer ${key}` }), key);
    assert.equal(presentedKey({ authorization: `bearer   ${key} ` }), key);
    assert.equal(presentedKey({ 'x-api-key': key }), key);
    assert.equal(presentedKey({ 'x-api-key': 'sk-ant-provider', authorization: `Bearer ${key}` }), key);
    assert.equal(presentedKey({ 'x-api-key': key, authorization: 'Bearer sk-openai' }), key);
    assert.equal(presentedKey({ authorization: 'Basic dXNlcjpwYXNz' }), undefined);
    assert.equal(presentedKey({ 'x-api-key': '' }), undefined);
    assert.equal(presentedKey({}), undefined);
    assert.equal(presentedKey({ authorization: 'Bearer sk-openai' }), 'sk-openai');
  });

  it('are checked cheaply before hashing, and compared as digests', () => {
    assert.equal(looksLikeKey('sk-sy-abc'), true);
    assert.equal(looksLikeKey('sk-sy-'), false);
    assert.equal(looksLikeKey('sk-proj-abc'), false);
    assert.equal(looksLikeKey(`sk-sy-${'a'.repeat(300)}`), false);
    assert.equal(keyPrefix('sk-sy-AbCdEfGh'), 'sk-sy-AbCd');
    const h = hashKey('sk-sy-a');
    assert.equal(digestsEqual(h, hashKey('sk-sy-a')), true);
    assert.equal(digestsEqual(h, hashKey('sk-sy-b')), false);
    assert.equal(digestsEqual(h, 'abc'), false);
  });
});
