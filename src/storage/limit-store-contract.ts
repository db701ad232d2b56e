/**
 * The one contract every LimitStore adapter must pass (DESIGN.md principle 8): the memory adapter
 * now, the Redis adapter of issue #27 later. Time is passed explicitly (`now`), so the suite never
 * sleeps and an adapter over a real server runs it unchanged. The factory returns a fresh store.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../core/random.js';
import { WINDOW_MS, type LimitRule, type LimitStore, type ReserveRequest } from './limit-store.js';

// 2024-06-04 06:49:00.250 UTC (the day ChatGPT failed twice and fleeing traffic toppled others); off the second on purpose.
const T0 = Date.UTC(2024, 5, 4, 6, 49) + 250;
const DAY = 86_400_000;

export function limitStoreContract(name: string, open: () => Promise<LimitStore>): void {
  const withStore = (fn: (s: LimitStore) => Promise<void>) => async () => {
    const s = await open();
    try {
      await fn(s);
    } finally {
      await s.close();
    }
  };
  let n = 0;
  const req = (now: number, rules: LimitRule[], tokens = 0, costMicros = 0, leaseMs = 600_000): ReserveRequest => ({ id: `r${n++}`, now, rules, tokens, costMicros, leaseMs });

  /** Admitted request times and tokens, for sliding-window checks. */
  const maxInAnyWindow = (events: { at: number; amount: number }[]): number => {
    let best = 0;
    for (const e of events) {
      let sum = 0;
      for (const f of events) if (f.at >= e.at && f.at < e.at + WINDOW_MS) sum += f.amount;
      best = Math.max(best, sum);
    }
    return best;
  };

  describe(`LimitStore contract: ${name}`, () => {
    it('RPM 60 offered 600 in a burst: exactly 60 admitted, the rest told the real time until admission', withStore(async (s) => {
      const rules = [{ subject: 'key:a', requestsPerMinute: 60 }];
      let admitted = 0;
      const waits = new Set<number>();
      for (let i = 0; i < 600; i++) {
        const r = await s.reserve(req(T0, rules));
        if (r.admitted) admitted++;
        else {
          assert.deepEqual(r.refusedBy, { subject: 'key:a', limit: 'requests', tooLarge: false });
          waits.add(r.retryAfterMs!);
        }
      }
      assert.equal(admitted, 60);
      assert.equal(waits.size, 1);
      const wait = [...waits][0]!;
      // Never a second 60 inside one window; never much more than a window.
      assert.ok(wait >= WINDOW_MS && wait <= WINDOW_MS + 1000, `wait ${wait}`);
      assert.equal((await s.reserve(req(T0 + wait - 1, rules))).admitted, false);
      assert.equal((await s.reserve(req(T0 + wait, rules))).admitted, true);
    }));

    it('never admits more than the RPM in any window, and keeps admitting at that rate', withStore(async (s) => {
      const rules = [{ subject: 'key:a', requestsPerMinute: 60 }];
      const events: { at: number; amount: number }[] = [];
      // Four requests a second for five minutes, with a burst of 200 every 70 s.
      for (let t = 0; t < 300_000; t += 250) {
        const burst = t % 70_000 === 0 ? 200 : 1;
        for (let i = 0; i < burst; i++) if ((await s.reserve(req(T0 + t, rules))).admitted) events.push({ at: T0 + t, amount: 1 });
      }
      assert.ok(maxInAnyWindow(events) <= 60, `max ${maxInAnyWindow(events)}`);
      assert.ok(events.length >= 290 && events.length <= 301, `admitted ${events.length}`);
    }));

    it('retryAfterMs is exact: a request retried that much later is admitted, a millisecond earlier it is not', withStore(async (s) => {
      const rules = [{ subject: 'key:a', requestsPerMinute: 7, tokensPerMinute: 5_000 }];
      const random = seededRandom(25);
      let now = T0;
      let refusals = 0;
      for (let i = 0; i < 200; i++) {
        const tokens = 1 + Math.floor(random() * 2_000);
        const r = await s.reserve(req(now, rules, tokens));
        if (!r.admitted) {
          refusals++;
          const wait = r.retryAfterMs!;
          assert.ok(wait > 0);
          assert.equal((await s.reserve(req(now + wait - 1, rules, tokens))).admitted, false, `${wait - 1} ms later`);
          now += wait;
          assert.equal((await s.reserve(req(now, rules, tokens))).admitted, true, `${wait} ms later`);
        }
        now += Math.floor(random() * 3_000);
      }
      assert.ok(refusals > 20, `only ${refusals} refusals: the test did not press the limits`);
    }));

    it('TPM: admitted tokens never exceed the limit in any window; a request over the whole limit can never pass', withStore(async (s) => {
      const rules = [{ subject: 'key:a', tokensPerMinute: 10_000 }];
      const events: { at: number; amount: number }[] = [];
      for (let t = 0; t < 180_000; t += 100) if ((await s.reserve(req(T0 + t, rules, 700))).admitted) events.push({ at: T0 + t, amount: 700 });
      assert.ok(maxInAnyWindow(events) <= 10_000, `max ${maxInAnyWindow(events)}`);
      assert.ok(events.length >= 14 * 2, `admitted ${events.length}`);
      const big = await s.reserve(req(T0 + 10 * DAY, rules, 10_001));
      assert.equal(big.admitted, false);
      assert.deepEqual(big.refusedBy, { subject: 'key:a', limit: 'tokens', tooLarge: true });
      assert.equal(big.retryAfterMs, undefined);
    }));

    it('settling gives back unused tokens at once and charges overruns to the window', withStore(async (s) => {
      const rules = [{ subject: 'key:a', tokensPerMinute: 10_000 }];
      const r1 = req(T0, rules, 8_000);
      assert.equal((await s.reserve(r1)).admitted, true);
      assert.equal((await s.reserve(req(T0 + 1, rules, 3_000))).admitted, false);
      await s.settle({ id: r1.id, now: T0 + 2, reservedAt: T0, rules, tokensDelta: -7_000, costDeltaMicros: 0 });
      assert.equal((await s.usage(rules, T0 + 2))[0]!.tokens, 1_000);
      const r2 = req(T0 + 3, rules, 3_000);
      assert.equal((await s.reserve(r2)).admitted, true);
      await s.settle({ id: r2.id, now: T0 + 4, reservedAt: T0 + 3, rules, tokensDelta: 5_500, costDeltaMicros: 0 });
      assert.equal((await s.usage(rules, T0 + 4))[0]!.tokens, 9_500);
      assert.equal((await s.reserve(req(T0 + 5, rules, 600))).admitted, false);
      // A delta for a reservation whose bucket has left the window changes nothing.
      await s.settle({ id: 'old', now: T0 + 10 * WINDOW_MS, reservedAt: T0, rules, tokensDelta: 50_000, costDeltaMicros: 0 });
      assert.equal((await s.usage(rules, T0 + 10 * WINDOW_MS))[0]!.tokens, 0);
    }));

    it('concurrency: a slot per unsettled reservation, freed by settle or when its lease runs out', withStore(async (s) => {
      const rules = [{ subject: 'key:a', concurrentRequests: 2 }];
      const a = req(T0, rules, 0, 0, 30_000);
      assert.equal((await s.reserve(a)).admitted, true);
      assert.equal((await s.reserve(req(T0, rules, 0, 0, 30_000))).admitted, true);
      const third = await s.reserve(req(T0 + 1, rules));
      assert.equal(third.admitted, false);
      assert.deepEqual(third.refusedBy, { subject: 'key:a', limit: 'concurrency', tooLarge: false });
      assert.equal(third.retryAfterMs, undefined);
      assert.equal(third.usage[0]!.concurrent, 2);
      await s.settle({ id: a.id, now: T0 + 2, reservedAt: T0, rules, tokensDelta: 0, costDeltaMicros: 0 });
      assert.equal((await s.reserve(req(T0 + 3, rules, 0, 0, 30_000))).admitted, true);
      assert.equal((await s.reserve(req(T0 + 4, rules))).admitted, false);
      // Nobody settled the other two (a crashed instance): their leases end by themselves.
      assert.equal((await s.reserve(req(T0 + 30_003, rules))).admitted, true);
    }));

    it('budget: admitted until spent, so at most one reservation beyond; refused until the period ends; settles correct it', withStore(async (s) => {
      const rules: LimitRule[] = [{ subject: 'key:a', budget: { micros: 10_000, period: 'day' } }];
      const ids: string[] = [];
      let admitted = 0;
      for (let i = 0; i < 10; i++) {
        const r = req(T0, rules, 0, 3_000);
        const out = await s.reserve(r);
        if (out.admitted) {
          admitted++;
          ids.push(r.id);
        } else {
          assert.deepEqual(out.refusedBy, { subject: 'key:a', limit: 'budget', tooLarge: false });
          assert.equal(out.retryAfterMs, Date.UTC(2024, 5, 5) - T0);
        }
      }
      assert.equal(admitted, 4); // 0, 3,000, 6,000, 9,000 spent before each: the fourth crosses
      const u = (await s.usage(rules, T0))[0]!;
      assert.ok(u.spentMicros - 10_000 <= 3_000);
      assert.deepEqual([u.budgetMicros, u.budgetPeriod, u.budgetResetAt], [10_000, 'day', Date.UTC(2024, 5, 5)]);
      // The requests cost less than reserved: the key may spend again.
      for (const id of ids) await s.settle({ id, now: T0 + 1, reservedAt: T0, rules, tokensDelta: 0, costDeltaMicros: -2_000 });
      assert.equal((await s.usage(rules, T0 + 1))[0]!.spentMicros, 4_000);
      assert.equal((await s.reserve(req(T0 + 2, rules, 0, 3_000))).admitted, true);
      // A new day starts from zero.
      const tomorrow = Date.UTC(2024, 5, 5);
      assert.equal((await s.usage(rules, tomorrow))[0]!.spentMicros, 0);
      assert.equal((await s.reserve(req(tomorrow, rules, 0, 3_000))).admitted, true);
      // Yesterday's late settlement does not touch today.
      await s.settle({ id: 'late', now: tomorrow + 5, reservedAt: T0, rules, tokensDelta: 0, costDeltaMicros: 9_999 });
      assert.equal((await s.usage(rules, tomorrow + 5))[0]!.spentMicros, 3_000);
    }));

    it('all rules or nothing: a team limit that refuses leaves the key uncharged', withStore(async (s) => {
      const key = { subject: 'key:a', requestsPerMinute: 100, tokensPerMinute: 100_000, budget: { micros: 1_000_000, period: 'month' as const } };
      const team = { subject: 'team:research', requestsPerMinute: 2 };
      assert.equal((await s.reserve(req(T0, [key, team], 10, 10))).admitted, true);
      assert.equal((await s.reserve(req(T0, [{ subject: 'key:b' }, team], 10, 10))).admitted, true);
      const r = await s.reserve(req(T0, [key, team], 10, 10));
      assert.equal(r.admitted, false);
      assert.deepEqual(r.refusedBy, { subject: 'team:research', limit: 'requests', tooLarge: false });
      const [k, t] = await s.usage([key, team], T0);
      assert.deepEqual([k!.requests, k!.tokens, k!.spentMicros, k!.concurrent], [1, 10, 10, 1]);
      assert.equal(t!.requests, 2);
      assert.equal(t!.requestsLimit, 2);
    }));

    it('operations asked for at once are decided in the order asked, as if one after another', withStore(async (s) => {
      // A burst in one event-loop turn (a store may send it to its server as one call).
      const rpm = [{ subject: 'key:a', requestsPerMinute: 60, tokensPerMinute: 1_000_000 }];
      const burst = await Promise.all(Array.from({ length: 100 }, () => s.reserve(req(T0, rpm, 10))));
      assert.deepEqual(burst.map((r) => r.admitted), Array.from({ length: 100 }, (_, i) => i < 60));
      assert.deepEqual(burst.slice(0, 60).map((r) => [r.usage[0]!.requests, r.usage[0]!.tokens]), Array.from({ length: 60 }, (_, i) => [i + 1, 10 * (i + 1)]));
      assert.equal(new Set(burst.slice(60).map((r) => r.retryAfterMs)).size, 1);
      // A slot freed and taken in the same turn; the usage read sees what was asked before it.
      const conc = [{ subject: 'key:c', concurrentRequests: 2 }];
      const [a, b] = [req(T0, conc), req(T0, conc)];
      assert.deepEqual((await Promise.all([s.reserve(a), s.reserve(b)])).map((r) => r.admitted), [true, true]);
      const [, c, d, u] = await Promise.all([
        s.settle({ id: a.id, now: T0 + 1, reservedAt: T0, rules: conc, tokensDelta: 0, costDeltaMicros: 0 }),
        s.reserve(req(T0 + 1, conc)),
        s.reserve(req(T0 + 1, conc)),
        s.usage(conc, T0 + 1),
      ]);
      assert.deepEqual([c.admitted, d.admitted, d.refusedBy?.limit, u[0]!.concurrent, u[0]!.requests], [true, false, 'concurrency', 2, 3]);
      // A budget crossed inside one burst: at most one reservation beyond, as one at a time.
      const budget: LimitRule[] = [{ subject: 'key:b', budget: { micros: 10_000, period: 'day' } }];
      const spend = await Promise.all(Array.from({ length: 6 }, () => s.reserve(req(T0, budget, 0, 3_000))));
      assert.deepEqual(spend.map((r) => r.admitted), [true, true, true, true, false, false]);
      // One burst spanning the window's end: the later request is judged at its own time.
      const one = [{ subject: 'key:d', requestsPerMinute: 1 }];
      const late = await Promise.all([s.reserve(req(T0, one)), s.reserve(req(T0, one)), s.reserve(req(T0 + 2 * WINDOW_MS, one)), s.reserve(req(T0 + 2 * WINDOW_MS, one))]);
      assert.deepEqual(late.map((r) => r.admitted), [true, false, true, false]);
    }));

    it('reports usage without changing it, and counts subjects that have no limits', withStore(async (s) => {
      const rules = [{ subject: 'key:free' }];
      for (let i = 0; i < 5; i++) assert.equal((await s.reserve(req(T0 + i, rules, 100, 7))).admitted, true);
      const u1 = await s.usage(rules, T0 + 10);
      const u2 = await s.usage(rules, T0 + 10);
      assert.deepEqual(u1, u2);
      assert.deepEqual([u1[0]!.requests, u1[0]!.tokens, u1[0]!.concurrent, u1[0]!.requestsLimit], [5, 500, 5, undefined]);
      assert.ok(u1[0]!.requestsResetMs > WINDOW_MS - 100 && u1[0]!.requestsResetMs <= WINDOW_MS + 1000);
      assert.deepEqual((await s.usage([{ subject: 'key:never-seen' }], T0))[0]!.requests, 0);
      assert.equal((await s.usage(rules, T0 + 10 * WINDOW_MS))[0]!.requests, 0);
    }));
  });
}
