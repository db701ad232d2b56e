/** The system clock's timer lists, on a hand-driven host (no sleeping). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimerLists } from './timer-lists.js';

/** A host whose time moves by hand; run() fires the host timers that are due, earliest first. */
function fakeHost() {
  let now = 0;
  let pending: { at: number; fn: () => void }[] = [];
  const host = {
    now: () => now,
    schedule: (fn: () => void, ms: number) => {
      const t = { at: now + ms, fn };
      pending.push(t);
      return t;
    },
    cancel: (t: unknown) => {
      pending = pending.filter((p) => p !== t);
    },
  };
  return {
    host,
    /** Host timers waiting (each list has at most one). */
    get armed() {
      return pending.length;
    },
    advance(ms: number) {
      const target = now + ms;
      for (;;) {
        pending.sort((a, b) => a.at - b.at);
        const next = pending[0];
        if (!next || next.at > target) break;
        pending = pending.slice(1);
        now = next.at;
        next.fn();
      }
      now = target;
    },
  };
}

test('timers fire once, in due order across durations, with their argument', () => {
  const h = fakeHost();
  const lists = new TimerLists(h.host);
  const fired: string[] = [];
  lists.set((a) => fired.push(a), 30, 'thirty');
  lists.set((a) => fired.push(a), 10, 'ten');
  lists.set((a) => fired.push(a), 10, 'ten again');
  lists.set((a) => fired.push(a), 20, 'twenty');
  assert.equal(lists.pending, 4);
  h.advance(9);
  assert.deepEqual(fired, []);
  h.advance(1);
  assert.deepEqual(fired, ['ten', 'ten again']);
  h.advance(100);
  assert.deepEqual(fired, ['ten', 'ten again', 'twenty', 'thirty']);
  assert.equal(lists.pending, 0);
  assert.equal(h.armed, 0, 'no host timer is left behind once every list is empty');
});

test('a cleared timer never fires; clearing twice, or after it fired, is harmless', () => {
  const h = fakeHost();
  const lists = new TimerLists(h.host);
  const fired: number[] = [];
  const a = lists.set((n) => fired.push(n), 50, 1);
  const b = lists.set((n) => fired.push(n), 50, 2);
  const c = lists.set((n) => fired.push(n), 50, 3);
  lists.clear(b);
  lists.clear(b);
  lists.clear(a);
  assert.equal(lists.pending, 1);
  h.advance(50);
  assert.deepEqual(fired, [3]);
  lists.clear(c);
  assert.equal(lists.pending, 0);
});

test('a duration whose timers were all cleared leaves nothing behind: no list, no host timer', () => {
  const h = fakeHost();
  const lists = new TimerLists(h.host);
  // Durations can come from clients (a timeout header): each distinct one is a list while it has timers.
  const entries = Array.from({ length: 100 }, (_, i) => lists.set(() => assert.fail('cleared'), 60_000 + i, undefined));
  assert.equal(lists.durations, 100);
  assert.equal(h.armed, 100);
  for (const e of entries) lists.clear(e);
  assert.equal(lists.durations, 0);
  assert.equal(h.armed, 0);
  h.advance(120_000);
});

test('with its head cleared, a list still fires the later entries on time (the host timer re-arms)', () => {
  const h = fakeHost();
  const lists = new TimerLists(h.host);
  const fired: number[] = [];
  const first = lists.set(() => fired.push(0), 100, undefined);
  h.advance(40);
  lists.set(() => fired.push(40), 100, undefined);
  lists.clear(first);
  h.advance(60);
  assert.deepEqual(fired, [], 'the host timer woke for the cleared head and found nothing due');
  assert.equal(h.armed, 1);
  h.advance(39);
  assert.deepEqual(fired, []);
  h.advance(1);
  assert.deepEqual(fired, [40]);
});

test('a timer set while timers fire (the same duration too) waits its full time', () => {
  const h = fakeHost();
  const lists = new TimerLists(h.host);
  const fired: number[] = [];
  const tick = (n: number) => {
    fired.push(n);
    if (n < 3) lists.set(tick, 10, n + 1);
  };
  lists.set(tick, 10, 1);
  h.advance(10);
  assert.deepEqual(fired, [1]);
  h.advance(9);
  assert.deepEqual(fired, [1]);
  h.advance(11);
  assert.deepEqual(fired, [1, 2, 3]);
});

test('durations under 1 ms (0, negative, NaN) wait 1 ms, as with setTimeout', () => {
  const h = fakeHost();
  const lists = new TimerLists(h.host);
  let n = 0;
  for (const ms of [0, -5, Number.NaN]) lists.set(() => n++, ms, undefined);
  h.advance(0);
  assert.equal(n, 0);
  h.advance(1);
  assert.equal(n, 3);
});

test('a timer that throws does not strand the ones after it', () => {
  const h = fakeHost();
  const lists = new TimerLists(h.host);
  let later = false;
  lists.set(() => {
    throw new Error('bug in a timer');
  }, 5, undefined);
  lists.set(() => (later = true), 5, undefined);
  assert.throws(() => h.advance(5), /bug in a timer/);
  h.advance(1);
  assert.equal(later, true);
});
