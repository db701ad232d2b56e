import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryHealthStore } from '../storage/memory/memory-health-store.js';
import { emptyBucket } from '../storage/metrics-store.js';
import { BucketCache } from './bucket-cache.js';

const H = 3_600_000;
const T0 = Date.UTC(2024, 10, 8, 0, 0);

describe('BucketCache', () => {
  it('sees new writes in the tail, slides the window, and reloads fully after a while', async () => {
    const store = new MemoryHealthStore();
    const add = (at: number, requests: number) => store.metrics.add([{ ...emptyBucket('a/m', at), requests }]);
    await add(T0, 1);
    await add(T0 + 5 * H, 2);
    const cache = new BucketCache(store.metrics, 2 * H, 10 * 60_000);
    const q = (from: number, to: number) => ({ resolution: 'hour' as const, from, to, components: ['a/m'] });
    const sum = (rows: { requests: number }[]) => rows.reduce((a, r) => a + r.requests, 0);

    assert.equal(sum(await cache.read(q(T0, T0 + 6 * H), T0)), 3);
    await add(T0 + 5 * H + 60_000, 10); // inside the tail: seen at once
    assert.equal(sum(await cache.read(q(T0, T0 + 6 * H), T0 + 1)), 13);
    await add(T0, 100); // far in the past: only after the periodic full reload
    assert.equal(sum(await cache.read(q(T0, T0 + 6 * H), T0 + 2)), 13);
    assert.equal(sum(await cache.read(q(T0, T0 + 6 * H), T0 + 10 * 60_000)), 113);
    // The window slides: rows before `from` drop out.
    assert.equal(sum(await cache.read(q(T0 + H, T0 + 7 * H), T0 + 10 * 60_000 + 1)), 12);
  });
});
