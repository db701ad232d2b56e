import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replaceTopLevelString } from './json-splice.js';
import { seededRandom } from './random.js';

const swap = (text: string) => replaceTopLevelString(text, 'model', 'gpt-4o-mini');

test('the top-level string is replaced and every other byte kept', () => {
  const text = '{ "model" : "chat", "messages":[{"role":"user","content":"hi \\"model\\": x"}],"stream":true }';
  const out = swap(text)!;
  assert.equal(out, '{ "model" : "gpt-4o-mini", "messages":[{"role":"user","content":"hi \\"model\\": x"}],"stream":true }');
  assert.deepEqual(JSON.parse(out), { ...JSON.parse(text), model: 'gpt-4o-mini' });
});

test('keys named model inside nested values are left alone, wherever the top-level one is', () => {
  const text = JSON.stringify({ tools: [{ model: 'x', function: { name: 'f', parameters: { model: { type: 'string' } } } }], metadata: { model: 'y' }, model: 'chat' });
  assert.deepEqual(JSON.parse(swap(text)!), { ...JSON.parse(text), model: 'gpt-4o-mini' });
});

test('strings with escaped quotes and backslashes do not confuse the scan', () => {
  const text = JSON.stringify({ messages: [{ role: 'user', content: 'a "b" \\ c\\", "model": "evil' }], model: 'chat' });
  assert.deepEqual(JSON.parse(swap(text)!), { ...JSON.parse(text), model: 'gpt-4o-mini' });
});

test('the replacement is JSON-escaped', () => {
  assert.equal(replaceTopLevelString('{"model":"a"}', 'model', 'we"ird\\'), '{"model":"we\\"ird\\\\"}');
});

test('unusual documents are left to the caller: absent, twice, escaped keys, non-string values', () => {
  assert.equal(swap('{"messages":[]}'), undefined);
  assert.equal(swap('{"model":"a","model":"b"}'), undefined);
  // JSON.parse reads the escaped key as "model" and keeps the last: a byte match must not be trusted here.
  assert.equal(JSON.parse('{"model":"a","mod\\u0065l":"b"}').model, 'b');
  assert.equal(swap('{"model":"a","mod\\u0065l":"b"}'), undefined);
  assert.equal(swap('{"mod\\u0065l":"b"}'), undefined);
  assert.equal(swap('{"model":null}'), undefined);
  assert.equal(swap('{"model":["a"]}'), undefined);
});

test('on 2,000 generated documents the result parses to the document with the new model (or is refused for escaped keys)', () => {
  const rnd = seededRandom(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const chars = ['a', 'model', '"', '\\', '\\"', '{', '}', '[', ']', ',', ':', ' ', '\n', 'é', '😀', '\u2028'];
  const str = () => Array.from({ length: Math.floor(rnd() * 6) }, () => pick(chars)).join('');
  const value = (depth: number): unknown => {
    const r = rnd();
    if (depth > 3 || r < 0.3) return pick([str(), 1.5, -2, true, false, null]);
    if (r < 0.65) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, () => [pick(['model', 'stream', str()]), value(depth + 1)]));
  };
  for (let n = 0; n < 2000; n++) {
    const doc: Record<string, unknown> = {};
    const key = () => (rnd() < 0.8 ? pick(['messages', 'modelx', 'mode', 'stream', 'x model', 'Model']) : str() + 'k');
    for (let k = Math.floor(rnd() * 4); k > 0; k--) doc[key()] = value(1);
    doc.model = str();
    for (let k = Math.floor(rnd() * 3); k > 0; k--) doc['x' + key()] = value(1);
    const text = rnd() < 0.5 ? JSON.stringify(doc) : JSON.stringify(doc, null, pick([1, 2, '\t']));
    const out = swap(text);
    // Keys written with escapes are left to the caller by design; all others must be spliced.
    if (Object.keys(doc).some((k) => JSON.stringify(k).includes('\\'))) {
      assert.equal(out, undefined);
      continue;
    }
    assert.ok(out !== undefined, text);
    assert.deepEqual(JSON.parse(out), { ...doc, model: 'gpt-4o-mini' });
  }
});
