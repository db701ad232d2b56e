/** The contract every BreakerStore adapter passes; `open` returns a fresh, empty store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BreakerStore } from './breaker-store.js';

export function breakerStoreContract(name: string, open: () => Promise<BreakerStore> | BreakerStore): void {
  describe(`BreakerStore contract: ${name}`, () => {
    it('a target starts closed, and its record is one live object', async () => {
      const s = await open();
      const r = s.record('openai/gpt-4o');
      assert.deepEqual({ ...r }, { state: 'closed', openUntil: 0, opens: 0 });
      assert.equal(s.record('openai/gpt-4o'), r);
    });

    it('a transition written and reported is what the next reader sees; targets are apart', async () => {
      const s = await open();
      const r = s.record('openai/gpt-4o');
      r.state = 'open';
      r.openUntil = 1_733_958_720_000; // 2024-12-11 23:12 UTC
      r.opens = 1;
      s.changed('openai/gpt-4o');
      assert.deepEqual({ ...s.record('openai/gpt-4o') }, { state: 'open', openUntil: 1_733_958_720_000, opens: 1 });
      assert.equal(s.record('anthropic/claude').state, 'closed');
    });
  });
}
