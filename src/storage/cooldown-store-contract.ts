/**
 * The contract every CooldownStore adapter passes (DESIGN.md principle 8): adapter test files call
 * cooldownStoreContract(name, open); `open` returns a fresh, empty store.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CooldownStore } from './cooldown-store.js';

const T0 = Date.UTC(2024, 5, 4, 14, 14); // 2024-06-04, the second wave

export function cooldownStoreContract(name: string, open: () => Promise<CooldownStore> | CooldownStore): void {
  describe(`CooldownStore contract: ${name}`, () => {
    it('a parking holds until its time, exactly, and is forgotten after', async () => {
      const s = await open();
      assert.equal(s.empty, true);
      s.park('openai/gpt-4o', T0 + 5_000, 'rate limited');
      assert.equal(s.empty, false);
      assert.deepEqual(s.get('openai/gpt-4o', T0 + 4_999), { until: T0 + 5_000, reason: 'rate limited' });
      assert.equal(s.get('openai/gpt-4o', T0 + 5_000), undefined);
      assert.equal(s.get('anthropic/claude', T0), undefined, 'other keys are not parked');
    });

    it('the longer parking wins, whichever came first', async () => {
      const s = await open();
      s.park('credential:openai', T0 + 60_000, 'quota');
      assert.equal(s.park('credential:openai', T0 + 1_000, 'rate limited').until, T0 + 60_000);
      assert.equal(s.get('credential:openai', T0 + 30_000)?.reason, 'quota');
      s.park('credential:openai', T0 + 120_000, 'quota again');
      assert.deepEqual(s.get('credential:openai', T0 + 90_000), { until: T0 + 120_000, reason: 'quota again' });
    });
  });
}
