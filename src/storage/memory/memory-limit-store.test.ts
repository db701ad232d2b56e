import assert from 'node:assert/strict';
import { it } from 'node:test';
import { limitStoreContract } from '../limit-store-contract.js';
import { openLimitStore } from '../open-limit-store.js';
import { MemoryLimitStore } from './memory-limit-store.js';

limitStoreContract('memory', () => openLimitStore({ kind: 'memory' }));
limitStoreContract('memory, 250 ms buckets', async () => new MemoryLimitStore(250));

it('memory per subject stays fixed however many requests pass', async () => {
  const s = new MemoryLimitStore();
  const rules = [{ subject: 'key:a', requestsPerMinute: 1_000_000 }];
  for (let i = 0; i < 20_000; i++) await s.reserve({ id: `r${i}`, now: 1_700_000_000_000 + i * 7, rules, tokens: 3, costMicros: 0, leaseMs: 1 });
  // The lease map is the only thing that grows with requests; expired leases go when the limit needs them or usage asks.
  const u = await s.usage(rules, 1_700_000_000_000 + 200_000);
  assert.equal(u[0]!.concurrent, 0);
});
