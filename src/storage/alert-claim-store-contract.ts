/**
 * The contract every AlertClaimStore adapter passes; `open` returns a fresh, empty store and a way
 * to let time pass (a ManualClock for memory, real milliseconds for Redis, whose keys expire by
 * the server's clock).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertClaimStore } from './alert-claim-store.js';

export interface OpenedClaimStore {
  store: AlertClaimStore;
  wait(ms: number): Promise<void>;
}

export function alertClaimStoreContract(name: string, open: () => Promise<OpenedClaimStore>): void {
  describe(`AlertClaimStore contract: ${name}`, () => {
    it('the first claim wins; later claims get the winner and do not take over', async () => {
      const { store } = await open();
      assert.equal(await store.claim('incident:openai', 'inc_a', 60_000), 'inc_a');
      assert.equal(await store.claim('incident:openai', 'inc_b', 60_000), 'inc_a');
      assert.equal(await store.claim('incident:openai', 'inc_a', 60_000), 'inc_a', 'the holder claiming again still holds it');
      assert.equal(await store.claim('incident:anthropic', 'inc_b', 60_000), 'inc_b', 'keys are apart');
    });

    it('claims made at once agree on one winner', async () => {
      const { store } = await open();
      const holders = await Promise.all(['a', 'b', 'c'].map((v) => store.claim('incident.resolved|inc_x', v, 60_000)));
      assert.equal(new Set(holders).size, 1);
    });

    it('a claim ends after its time to live, and the next claim wins', async () => {
      const { store, wait } = await open();
      assert.equal(await store.claim('credential.parked|openai|gpt-4o', 'a', 40), 'a');
      await wait(80);
      assert.equal(await store.claim('credential.parked|openai|gpt-4o', 'b', 40), 'b');
    });

    it('release ends a claim only for its holder', async () => {
      const { store } = await open();
      await store.claim('incident:openai', 'inc_a', 60_000);
      await store.release('incident:openai', 'inc_b');
      assert.equal(await store.claim('incident:openai', 'inc_b', 60_000), 'inc_a', 'not released by another');
      await store.release('incident:openai', 'inc_a');
      assert.equal(await store.claim('incident:openai', 'inc_b', 60_000), 'inc_b');
    });
  });
}
