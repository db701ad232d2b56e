import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferPool, KeptBytes } from './kept-bytes.js';

const all = (k: KeptBytes) => k.view(0, k.length).toString('latin1');

test('kept bytes come back in order, as copies that no longer share the reads they came from', () => {
  const kept = new KeptBytes(new BufferPool());
  assert.equal(kept.view(0, 10).length, 0);
  const reads = ['data: a\n\n', '', 'data: bb\n\n', 'data: ccc\n\n'.repeat(50)].map((s) => Buffer.from(s));
  for (const r of reads) kept.add(r);
  assert.equal(kept.length, Buffer.concat(reads).length);
  const out = kept.view(0, kept.length);
  assert.equal(out.toString(), Buffer.concat(reads).toString());
  for (const r of reads) if (r.length > 0) assert.notEqual(out.buffer, r.buffer);
  reads[0]!.fill(0);
  assert.ok(all(kept).startsWith('data: a'));
  assert.equal(kept.view(7, 9).toString(), '\n\n', 'a range is a view of just those bytes');
  assert.equal(kept.view(0, 1e9).length, kept.length, 'a range past the end is clamped');
});

test('a released buffer is reused by the next store of the same pool, never by another pool', () => {
  const pool = new BufferPool();
  const other = new BufferPool();
  const done = new KeptBytes(pool);
  done.add(Buffer.from('data: done\n\n'));
  done.release();
  assert.equal(pool.pooledBytes, 4096, 'its buffer waits for the next stream');
  assert.equal(done.length, 0, 'a released store has nothing left');
  assert.equal(other.pooledBytes, 0, "another gateway's pool never sees it");

  const next = new KeptBytes(pool);
  next.add(Buffer.from('data: next\n\n'));
  assert.equal(pool.pooledBytes, 0, 'the next stream took it');
  assert.equal(all(next), 'data: next\n\n', 'only its own bytes come back');
});

test('growing past a size gives the smaller buffer back; huge stores are not pooled', () => {
  const pool = new BufferPool();
  const kept = new KeptBytes(pool);
  kept.add(Buffer.alloc(3000, 0x61));
  kept.add(Buffer.alloc(3000, 0x62));
  assert.equal(pool.pooledBytes, 4096, 'the 4 KiB buffer went back when the store moved to 8 KiB');
  assert.equal(kept.length, 6000);
  assert.equal(all(kept), 'a'.repeat(3000) + 'b'.repeat(3000));

  const huge = new KeptBytes(pool);
  huge.add(Buffer.alloc(200 * 1024));
  const pooled = pool.pooledBytes;
  huge.release();
  assert.equal(pool.pooledBytes, pooled, 'past 64 KiB a buffer is left to the garbage collector');
});
