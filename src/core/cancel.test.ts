/** Cancel: the hot path's abort signal, and how it follows a parent (its own kind or a standard AbortSignal). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cancel } from './cancel.js';

test('a child follows its parent Cancel with the same reason; listeners run once, functions and handleEvent objects alike', () => {
  const parent = new Cancel();
  const child = new Cancel(parent);
  const calls: string[] = [];
  child.addEventListener('abort', () => calls.push('function'));
  child.addEventListener('abort', { handleEvent: () => calls.push('object') });
  const reason = new Error('deadline');
  parent.abort(reason);
  parent.abort(new Error('again'));
  assert.equal(child.aborted, true);
  assert.equal(child.reason, reason);
  assert.deepEqual(calls, ['function', 'object']);
});

test('a child of a standard AbortSignal follows it (EventTarget calls the child as a listener object)', () => {
  const ac = new AbortController();
  const child = new Cancel(ac.signal);
  assert.equal(child.aborted, false);
  ac.abort(new Error('client gone'));
  assert.equal(child.aborted, true);
  assert.equal((child.reason as Error).message, 'client gone');
});

test('an already aborted parent aborts the child at once; a removed listener is not called', () => {
  const parent = new Cancel();
  parent.abort(new Error('early'));
  assert.equal(new Cancel(parent).aborted, true);

  const c = new Cancel();
  let called = false;
  const listener = { handleEvent: () => (called = true) };
  c.addEventListener('abort', listener);
  c.removeEventListener('abort', listener);
  c.abort();
  assert.equal(called, false);
  assert.equal(c.aborted, true);
});

test('listeners run in the order they were added, whichever were removed between', () => {
  const c = new Cancel();
  const calls: string[] = [];
  const a = () => calls.push('a');
  const b = () => calls.push('b');
  const d = () => calls.push('d');
  c.addEventListener('abort', a);
  c.addEventListener('abort', b);
  c.removeEventListener('abort', a);
  c.addEventListener('abort', d);
  c.addEventListener('abort', a);
  c.removeEventListener('abort', d);
  c.addEventListener('abort', d);
  c.abort();
  c.abort();
  assert.deepEqual(calls, ['b', 'a', 'd']);
});
