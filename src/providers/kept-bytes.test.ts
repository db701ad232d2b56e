import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeptBytes, pooledKeptBytes } from './kept-bytes.js';

test('kept bytes come back in order, as copies that no longer share the reads they came from', () => {
  const kept = new KeptBytes();
  assert.equal(kept.take().length, 0);
  const reads = ['data: a\n\n', '', 'data: bb\n\n', 'data: ccc\n\n'.repeat(50)].map((s) => Buffer.from(s));
  for (const r of reads) kept.add(r);
  assert.equal(kept.length, Buffer.concat(reads).length);
  const out = kept.take();
  assert.equal(out.toString(), Buffer.concat(reads).toString());
  for (const r of reads) if (r.length > 0) assert.notEqual(out.buffer, r.buffer);
  reads[0]!.fill(0);
  assert.ok(out.toString().startsWith('data: a'));
  assert.equal(kept.length, 0);
  kept.add(Buffer.from('x'));
  assert.equal(kept.take().toString(), 'x');
});

test('a released buffer is reused by the next store; bytes handed out by take() never are', () => {
  const first = new KeptBytes();
  first.add(Buffer.from('data: first stream\n\n'));
  const taken = first.take();
  const before = pooledKeptBytes();
  // take() gave the buffer away: nothing goes back to the pool, and later stores never write over it.
  first.release();
  assert.equal(pooledKeptBytes(), before);

  const done = new KeptBytes();
  done.add(Buffer.from('data: a stream that ended well\n\n'));
  done.release();
  assert.equal(pooledKeptBytes(), before + 4096, 'its buffer waits for the next stream');
  assert.equal(done.length, 0);
  assert.equal(done.take().length, 0, 'a released store has nothing left to decode');

  const next = new KeptBytes();
  next.add(Buffer.from('data: next\n\n'));
  assert.equal(pooledKeptBytes(), before, 'the next stream took it');
  assert.equal(next.take().toString(), 'data: next\n\n', 'only its own bytes come back');
  assert.equal(taken.toString(), 'data: first stream\n\n');
});

test('growing past a size gives the smaller buffer back; huge stores are not pooled', () => {
  const kept = new KeptBytes();
  const before = pooledKeptBytes();
  kept.add(Buffer.alloc(3000, 0x61));
  kept.add(Buffer.alloc(3000, 0x62));
  assert.equal(pooledKeptBytes(), before + 4096, 'the 4 KiB buffer went back when the store moved to 8 KiB');
  const out = kept.take();
  assert.equal(out.length, 6000);
  assert.equal(out.toString('latin1'), 'a'.repeat(3000) + 'b'.repeat(3000));

  const huge = new KeptBytes();
  huge.add(Buffer.alloc(200 * 1024));
  const pooled = pooledKeptBytes();
  huge.release();
  assert.equal(pooledKeptBytes(), pooled, 'past 64 KiB a buffer is left to the garbage collector');
});
