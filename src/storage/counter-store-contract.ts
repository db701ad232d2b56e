/** The contract every CounterStore adapter passes; `open` returns a fresh, empty store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CounterStore } from './counter-store.js';

export function counterStoreContract(name: string, open: () => Promise<CounterStore> | CounterStore): void {
  describe(`CounterStore contract: ${name}`, () => {
    it('counts add up per slot and sum over a range of slots', async () => {
      const s = await open();
      const w = s.window('budget:chat:first', 10);
      w.add(100, 3);
      w.add(100, 2);
      w.add(104, 7);
      assert.equal(w.sum(100, 100), 5);
      assert.equal(w.sum(100, 109), 12);
      assert.equal(w.sum(101, 103), 0);
    });

    it('slots older than the span are gone: a window slides', async () => {
      const s = await open();
      const w = s.window('budget:chat:extra', 10);
      w.add(100, 4);
      w.add(110, 1);
      assert.equal(w.sum(101, 110), 1, 'slot 100 is out of a 10-slot window ending at 110');
    });

    it('keys are apart, and the same key is the same window', async () => {
      const s = await open();
      s.window('a', 10).add(5, 1);
      assert.equal(s.window('b', 10).sum(0, 9), 0);
      assert.equal(s.window('a', 10).sum(0, 9), 1);
    });
  });
}
