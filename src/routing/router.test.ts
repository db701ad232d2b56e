/** The routing engine's decisions, driven by a ManualClock: no sleeping, no sockets. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttemptOutcome } from '../core/attempt-outcome.js';
import { ManualClock } from '../core/clock.js';
import { GatewayError, requestAborted, upstreamCode } from '../core/errors.js';
import type { Provider } from '../providers/types.js';
import { NoTargetError } from './no-target-error.js';
import { policyWith } from './policy.js';
import { RouteTable, type Route, type Target } from './route-table.js';
import { Router } from './router.js';
import { memoryRouterStores, RouterState } from './router-state.js';
import type { RunOptions, RunResult } from './attempt.js';
import type { SignalLike } from '../core/cancel.js';
import { tell, toPromise } from '../core/sink.js';

const fake = (name: string) => ({ name }) as unknown as Provider;
function route(names: string[], overrides: Parameters<typeof policyWith>[0] = {}): Route {
  return { alias: 'chat', targets: names.map((n) => ({ provider: fake(n), model: 'm', label: `${n}/m` })), policy: policyWith(overrides) };
}
const err = (kind: GatewayError['kind'], status: number, retryAfterMs?: number) =>
  new GatewayError({ code: upstreamCode(kind), message: `${kind} happened`, status, kind, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

/** A run of the one attempt loop, with attempts as promise-returning functions (a throw is a failed attempt too). */
function runOf<T>(router: Router, r: Route, fn: (t: Target, signal: SignalLike) => Promise<T>, opts: RunOptions<T>): Promise<RunResult<T>> {
  return toPromise((to) => router.route<T>(r, (t, signal, sink) => tell(fn(t, signal), sink), opts, to));
}

function setup() {
  const clock = new ManualClock();
  const outcomes: AttemptOutcome[] = [];
  const router = new Router(clock, { record: (o) => outcomes.push(o) }, { random: () => 0, statusPage: 'http://gw/status' });
  const signal = new AbortController().signal;
  return { clock, outcomes, router, signal };
}

/** Run one request; `behave` says what each target does. */
async function call(router: Router, r: Route, signal: AbortSignal, behave: (t: Target) => string | GatewayError) {
  const out = await runOf(router, r, async (t) => {
    const b = behave(t);
    if (b instanceof GatewayError) throw b;
    return b;
  }, { signal, stream: false });
  out.lease.settle({ ok: true, ttftMs: 10 });
  return out;
}

test('the first healthy target serves; failed attempts are recorded and reported as outcomes', async () => {
  const { router, signal, outcomes } = setup();
  const out = await call(router, route(['a', 'b', 'c']), signal, (t) => (t.provider.name === 'a' ? err('overloaded', 529) : t.provider.name));
  assert.equal(out.value, 'b');
  assert.deepEqual(out.attempts.map((a) => [a.target, a.error?.kind]), [['a/m', 'overloaded'], ['b/m', undefined]]);
  assert.deepEqual(outcomes.map((o) => [o.provider, o.ok, o.kind]), [['a', false, 'overloaded'], ['b', true, undefined]]);
});

test('an attempt that throws instead of rejecting fails over like any failed attempt', async () => {
  const { router, signal, outcomes } = setup();
  const out = await runOf(router, 
    route(['a', 'b']),
    (t) => {
      if (t.provider.name === 'a') throw err('transient', 502);
      return Promise.resolve(t.provider.name);
    },
    { signal, stream: false },
  );
  out.lease.settle({ ok: true, ttftMs: 10 });
  assert.equal(out.value, 'b');
  assert.deepEqual(out.attempts.map((a) => [a.target, a.error?.kind]), [['a/m', 'transient'], ['b/m', undefined]]);
  assert.deepEqual(outcomes.map((o) => [o.provider, o.ok]), [['a', false], ['b', true]]);
});

test('the gateway\'s own failure in an attempt (a bug, not an answer) fails over without counting against the target\'s health', async () => {
  const { router, signal, outcomes } = setup();
  const out = await call(router, route(['a', 'b']), signal, (t) => {
    if (t.provider.name === 'a') throw new TypeError('cannot read properties of undefined');
    return t.provider.name;
  });
  assert.equal(out.value, 'b');
  assert.deepEqual(out.attempts.map((a) => [a.target, a.error?.kind]), [['a/m', 'internal'], ['b/m', undefined]]);
  assert.deepEqual(outcomes.map((o) => [o.provider, o.ok]), [['b', true]], 'no outcome for a: its health is not ours to spoil');
});

test('a cold router sends a burst to a healthy first choice without shedding any of it', async () => {
  const { router, signal } = setup();
  const r = route(['a', 'b']);
  const release: Array<() => void> = [];
  const served: string[] = [];
  const runs = Array.from({ length: 64 }, () =>
    runOf(router, r, (t) => new Promise<string>((resolve) => release.push(() => resolve(t.provider.name))), { signal, stream: false }).then((out) => {
      served.push(out.value);
      out.lease.settle({ ok: true, ttftMs: 10 });
    }),
  );
  await new Promise((r) => setImmediate(r));
  assert.equal(release.length, 64, 'all 64 in flight at once');
  for (const go of release) go();
  await Promise.all(runs);
  assert.deepEqual(new Set(served), new Set(['a']), 'none spilled to the second target');
});

test('a request one target cannot represent goes to the next one: no outcome, no retry budget spent', async () => {
  const { router, signal, outcomes } = setup();
  const r = route(['g', 'o'], { budgetRatio: 0, budgetFloorPerSecond: 0 });
  const cannot = () => new GatewayError({ code: 'image_url_unsupported', message: 'g cannot fetch image URLs', status: 400, kind: 'client_error', param: 'messages[0].content[1]', notSent: true });
  const out = await call(router, r, signal, (t) => (t.provider.name === 'g' ? cannot() : 'served by o'));
  assert.equal(out.value, 'served by o', 'taken by the capable target even with an empty retry budget');
  assert.deepEqual(outcomes.map((o) => [o.provider, o.ok]), [['o', true]], 'nothing was sent to g: no outcome for it');
  await assert.rejects(
    call(router, route(['g', 'h']), signal, () => cannot()),
    (e: unknown) => e instanceof GatewayError && !(e instanceof NoTargetError) && e.status === 400 && e.param === 'messages[0].content[1]',
    'no target can represent it: the first 400, as it is',
  );
});

test('client errors go back as they are: exactly one upstream attempt', async () => {
  const { router, signal } = setup();
  let calls = 0;
  await assert.rejects(
    call(router, route(['a', 'b']), signal, () => {
      calls++;
      return err('client_error', 400);
    }),
    (e: unknown) => e instanceof GatewayError && e.status === 400 && !(e instanceof NoTargetError),
  );
  assert.equal(calls, 1);
});

test('429 with Retry-After: zero attempts on that target for exactly that long while others serve', async () => {
  const { router, signal, clock } = setup();
  const r = route(['a', 'b']);
  const hits: string[] = [];
  let limited = true;
  const behave = (t: Target) => {
    hits.push(t.provider.name);
    return t.provider.name === 'a' && limited ? err('rate_limited', 429, 5000) : t.provider.name;
  };
  assert.equal((await call(router, r, signal, behave)).value, 'b');
  limited = false;
  hits.length = 0;
  for (let i = 0; i < 10; i++) {
    assert.equal((await call(router, r, signal, behave)).value, 'b');
    clock.advance(400);
  }
  assert.ok(!hits.includes('a'), 'no attempt on the rate-limited target within 5 s');
  clock.advance(1000);
  assert.equal((await call(router, r, signal, behave)).value, 'a', 'back after the wait');
});

test('insufficient quota parks the credential: never retried on it until reset', async () => {
  const { router, signal, clock } = setup();
  const r = route(['a', 'b']);
  let aCalls = 0;
  const behave = (t: Target) => {
    if (t.provider.name === 'a') {
      aCalls++;
      return err('quota_exhausted', 429);
    }
    return 'b';
  };
  for (let i = 0; i < 20; i++) {
    assert.equal((await call(router, r, signal, behave)).value, 'b');
    clock.advance(10_000);
  }
  assert.equal(aCalls, 1);
});

test('breaker: after consecutive failures the target is skipped without an attempt; half-open probes bring it back', async () => {
  const { router, signal, clock } = setup();
  const r = route(['a', 'b'], { breaker: { consecutiveFailures: 3, openBaseMs: 5000, jitter: 0, halfOpenProbes: 1 } });
  let aDown = true;
  let aCalls = 0;
  const behave = (t: Target) => {
    if (t.provider.name === 'a') {
      aCalls++;
      return aDown ? err('transient', 502) : 'a';
    }
    return 'b';
  };
  for (let i = 0; i < 3; i++) await call(router, r, signal, behave);
  assert.equal(aCalls, 3);
  for (let i = 0; i < 10; i++) assert.equal((await call(router, r, signal, behave)).value, 'b');
  assert.equal(aCalls, 3, 'open breaker: no attempts');
  aDown = false;
  clock.advance(5000);
  assert.equal((await call(router, r, signal, behave)).value, 'a', 'half-open probe succeeds');
  assert.equal(router.target(r.targets[0]!).breaker.state, 'closed');
  assert.equal(router.target(r.targets[0]!).limiter.headroom(), 1, 'slow start after recovery');
});

test('all targets down under steady load: attempts per request fall to about one, refusals say why and when', async () => {
  const { router, signal, clock } = setup();
  const r = route(['a', 'b']);
  let attempts = 0;
  let requests = 0;
  let lastError: unknown;
  for (let s = 0; s < 30; s++) {
    const before = attempts;
    for (let i = 0; i < 20; i++) {
      requests++;
      await call(router, r, signal, () => {
        attempts++;
        return err('transient', 503);
      }).catch((e: unknown) => (lastError = e));
    }
    if (s === 10) {
      attempts -= before;
      requests = 20;
    }
    clock.advance(1000);
  }
  assert.ok(attempts / requests <= 1.1, `attempts per request after 10 s: ${attempts / requests}`);
  assert.ok(lastError instanceof NoTargetError);
  assert.ok(lastError.retryAfterMs! >= 1000);
  assert.match(lastError.message, /a\/m/);
  assert.match(lastError.message, /b\/m/);
  assert.match(lastError.message, /http:\/\/gw\/status/);
});

test('failover is bounded by the alternative\'s headroom; beyond it, without a queue, a fast refusal', async () => {
  const { router, signal } = setup();
  const r = route(['a', 'b'], { limiter: { initial: 2 }, queueMaxWaitMs: 0 });
  // Hold two requests open on b (a is rate limited), then a third finds no capacity.
  const pending: Array<() => void> = [];
  const started = [0, 1].map(() =>
    runOf(router, r, (t) => (t.provider.name === 'a' ? Promise.reject(err('rate_limited', 429, 60_000)) : new Promise<string>((res) => pending.push(() => res('b')))), { signal, stream: false }),
  );
  await new Promise((res) => setImmediate(res));
  await assert.rejects(
    runOf(router, r, async () => 'never', { signal, stream: false }),
    (e: unknown) => e instanceof NoTargetError && e.status === 503 && /concurrency limit/.test(e.message),
  );
  pending.forEach((f) => f());
  for (const s of started) (await s).lease.settle({ ok: true });
});

test('a bounded queue waits for a slot instead of refusing', async () => {
  const { router, signal } = setup();
  const r = route(['b'], { limiter: { initial: 1 }, queueMaxWaitMs: 1000 });
  let release!: () => void;
  const first = runOf(router, r, () => new Promise<string>((res) => (release = () => res('first'))), { signal, stream: false });
  await new Promise((res) => setImmediate(res));
  const second = runOf(router, r, async () => 'second', { signal, stream: false });
  release();
  (await first).lease.settle({ ok: true });
  const out = await second;
  assert.equal(out.value, 'second');
  out.lease.settle({ ok: true });
});

test('the queue (on by default) waits for its maximum, then refuses with 503 and when to retry', async () => {
  const { router, signal, clock } = setup();
  const r = route(['a', 'b'], { limiter: { initial: 1 }, queueMaxWaitMs: 5_000 });
  let release!: () => void;
  // a is down (parked a minute), b busy with one request: the next one waits in line for b.
  const first = runOf(router, r, (t) => (t.provider.name === 'a' ? Promise.reject(err('rate_limited', 429, 60_000)) : new Promise<string>((res) => (release = () => res('b')))), { signal, stream: false });
  await new Promise((res) => setImmediate(res));
  const waiting = runOf(router, r, async () => 'never', { signal, stream: false });
  await new Promise((res) => setImmediate(res));
  clock.advance(5_000);
  await assert.rejects(waiting, (e: unknown) => e instanceof NoTargetError && e.status === 503 && e.retryAfterMs !== undefined);
  release();
  (await first).lease.settle({ ok: true });
});

test('hedging: no first token by the hedge delay starts one more attempt; the first answer wins, the loser is cancelled', async () => {
  const { router, signal, clock } = setup();
  const r = route(['slow', 'fast'], { hedge: true, hedgeAfterMs: 200 });
  let slowAborted = false;
  const run = runOf(router, 
    r,
    (t, s) =>
      t.provider.name === 'slow'
        ? new Promise<string>((_res, rej) => s.addEventListener('abort', () => {
            slowAborted = true;
            rej(s.reason);
          }))
        : Promise.resolve('fast'),
    { signal, stream: true },
  );
  clock.advance(200);
  const out = await run;
  assert.equal(out.value, 'fast');
  assert.equal(slowAborted, true);
  assert.deepEqual(out.attempts.map((a) => [a.target, a.error?.code]), [['slow/m', 'hedge_lost'], ['fast/m', undefined]]);
  out.lease.settle({ ok: true });
});

test('a client that goes away during a hedge race says nothing about the targets: their breakers stay closed', async () => {
  const { router, clock } = setup();
  const r = route(['a', 'b'], { hedge: true, hedgeAfterMs: 200 });
  const never = (_t: Target, s: SignalLike) => new Promise<string>((_res, rej) => s.addEventListener('abort', () => rej(s.reason)));
  for (let i = 0; i < 10; i++) {
    const client = new AbortController();
    const run = runOf(router, r, never, { signal: client.signal, stream: true });
    clock.advance(200);
    client.abort(requestAborted());
    await assert.rejects(run);
  }
  for (const t of r.targets) assert.equal(router.target(t, r.policy).breaker.state, 'closed', t.label);
});

test('strategies: weighted spreads by weight, least-loaded prefers the faster target', async () => {
  const { router, signal } = setup();
  const rnd = (() => { let x = 1; return () => ((x = (x * 48271) % 2147483647) / 2147483647); })();
  const weighted = new Router(new ManualClock(), { record: () => {} }, { random: rnd });
  const w: Route = { ...route(['a', 'b'], { strategy: 'weighted' }) };
  w.targets[0]!.weight = 3;
  const counts: Record<string, number> = { a: 0, b: 0 };
  for (let i = 0; i < 400; i++) {
    const out = await runOf(weighted, w, async (t) => t.provider.name, { signal, stream: false });
    out.lease.settle({ ok: true });
    counts[out.value]!++;
  }
  assert.ok(counts.a! > 250 && counts.a! < 350, `weighted a: ${counts.a}`);
  const ll = route(['slow', 'fast'], { strategy: 'least-loaded' });
  router.target(ll.targets[0]!).ttft.add(900);
  router.target(ll.targets[1]!).ttft.add(100);
  const out = await runOf(router, ll, async (t) => t.provider.name, { signal, stream: false });
  assert.equal(out.value, 'fast');
});

test('unknown alias: 404 listing the available models', () => {
  const table = new RouteTable([route(['a']), { alias: 'fast', targets: [] }]);
  assert.throws(() => table.resolve('nope'), (e: unknown) => e instanceof GatewayError && e.status === 404 && e.param === 'model' && /chat, fast/.test(e.message));
});

/** route(), as the stream path calls it: attempts tell a sink; the run's outcome comes to `to`, once. */
function routed(router: Router, r: Route, signal: AbortSignal, behave: (t: Target) => string | GatewayError, sync = false) {
  const told: string[] = [];
  const settled = new Promise<{ value?: string; attempts?: Array<[string, string | undefined]>; error?: unknown }>((resolve) => {
    router.route<string>(
      r,
      (t, _signal, to) => {
        const b = behave(t);
        const tell = () => (b instanceof GatewayError ? to.failed(b) : to.done(b));
        if (sync) tell();
        else queueMicrotask(tell);
      },
      { signal, stream: true },
      {
        done: (out) => {
          told.push('done');
          out.lease.settle({ ok: true, ttftMs: 10 });
          resolve({ value: out.value, attempts: out.attempts.map((a) => [a.target, a.error?.kind]) });
        },
        failed: (e) => {
          told.push('failed');
          resolve({ error: e });
        },
      },
    );
  });
  return { told, settled };
}

test('route: the first target serves with no failover; a failed first attempt fails over to the next', async () => {
  const { router, signal, outcomes } = setup();
  const ok = routed(router, route(['a', 'b']), signal, (t) => t.provider.name);
  assert.deepEqual(await ok.settled, { value: 'a', attempts: [['a/m', undefined]] });

  const over = routed(router, route(['a', 'b']), signal, (t) => (t.provider.name === 'a' ? err('overloaded', 529) : t.provider.name), true);
  assert.deepEqual(await over.settled, { value: 'b', attempts: [['a/m', 'overloaded'], ['b/m', undefined]] });
  assert.deepEqual(over.told, ['done'], 'told once');
  assert.deepEqual(outcomes.map((o) => [o.provider, o.ok]), [['a', true], ['a', false], ['b', true]]);
});

test('route: an error that stops failover, and every target failing, reach `to` as one failure', async () => {
  const { router, signal } = setup();
  const stop = routed(router, route(['a', 'b']), signal, () => err('client_error', 400));
  const stopped = await stop.settled;
  assert.ok(stopped.error instanceof GatewayError && stopped.error.status === 400 && !(stopped.error instanceof NoTargetError));
  assert.deepEqual(stop.told, ['failed']);

  const all = routed(router, route(['a', 'b']), signal, () => err('transient', 502));
  const exhausted = await all.settled;
  assert.ok(exhausted.error instanceof NoTargetError);
  assert.deepEqual(all.told, ['failed']);
  // The same attempts as a run with promise-made attempts makes of the same failures.
  const viaRun = setup();
  const ran = await call(viaRun.router, route(['a', 'b']), viaRun.signal, () => err('transient', 502)).catch((e: unknown) => e);
  assert.ok(ran instanceof NoTargetError);
  assert.deepEqual(
    exhausted.error.attempts.map((a) => a.target),
    ran.attempts.map((a) => a.target),
  );
  assert.ok(exhausted.error.attempts.length >= 2);
});

test('route: an attempt that throws instead of telling its sink fails over like a failed attempt', async () => {
  const { router, signal } = setup();
  const told: string[] = [];
  const out = await new Promise<string>((resolve, reject) =>
    router.route<string>(
      route(['a', 'b']),
      (t, _signal, to) => {
        if (t.provider.name === 'a') throw err('transient', 502);
        to.done(t.provider.name);
      },
      { signal, stream: true },
      {
        done: (r) => (told.push('done'), r.lease.settle({ ok: 'neutral' }), resolve(r.value)),
        failed: (e) => (told.push('failed'), reject(e)),
      },
    ),
  );
  assert.equal(out, 'b');
  assert.deepEqual(told, ['done']);
});

test('a backoff wait ends at once when the request ends: its timer is cleared and the loop says why', async () => {
  const { router, clock } = setup();
  // One target, retried after a failure: the retry waits a full-jitter backoff first (random() = 0.99: nearly the cap).
  const r = route(['a'], { backoffBaseMs: 1000, backoffCapMs: 1000, maxAttempts: 3 });
  const slow = new Router(clock, { record: () => {} }, { random: () => 0.99 });
  const ctrl = new AbortController();
  let calls = 0;
  const run = runOf(slow, r, () => (calls++, Promise.reject(err('transient', 502))), { signal: ctrl.signal, stream: false });
  await new Promise((res) => setImmediate(res));
  assert.equal(calls, 1, 'the first attempt failed; the retry is waiting');
  assert.equal(clock.pendingTimers(), 1, 'one backoff timer');
  const reason = new GatewayError({ code: 'deadline_exceeded', message: 'late', status: 504, kind: 'timeout' });
  ctrl.abort(reason);
  await assert.rejects(run, (e: unknown) => e === reason);
  assert.equal(clock.pendingTimers(), 0, 'the backoff timer is cleared');
  assert.equal(calls, 1, 'no attempt after the request ended');
  void router;
});

test("two aliases sharing a target: the first alias in the configuration sets its breaker, whichever request comes first", async () => {
  const clock = new ManualClock();
  const shared = { provider: fake('shared'), model: 'm', label: 'shared/m' };
  const strict: Route = { alias: 'strict', targets: [shared], policy: policyWith({ maxAttempts: 1, breaker: { consecutiveFailures: 2 } }) };
  const lenient: Route = { alias: 'lenient', targets: [shared], policy: policyWith({ maxAttempts: 1, breaker: { consecutiveFailures: 50 } }) };
  const state = new RouterState(clock, memoryRouterStores(), () => 0.5, [strict, lenient]);
  const router = new Router(clock, { record: () => {} }, { state });
  const signal = new AbortController().signal;
  // The lenient alias's requests come first, and fail twice: the strict alias's settings govern the target.
  for (let i = 0; i < 2; i++) await runOf(router, lenient, () => Promise.reject(err('transient', 502)), { signal, stream: false }).catch(() => undefined);
  assert.equal(router.target(shared).breaker.state, 'open');
});

test("a provider refusing the gateway's credential (upstream 401) fails over, and that credential is parked: no attempt on it for a minute", async () => {
  const { router, signal, clock } = setup();
  const r = route(['a', 'b']);
  let aCalls = 0;
  const parks: string[] = [];
  const parking = new Router(clock, { record: () => {} }, { random: () => 0, onPark: (p) => parks.push(`${p.provider}:${p.cause}`) });
  const refused = () => new GatewayError({ code: 'upstream_auth_failed', message: 'invalid x-api-key', status: 401, kind: 'auth', upstreamStatus: 401 });
  const behave = (t: Target) => (t.provider.name === 'a' ? (aCalls++, refused()) : 'b');
  assert.equal((await call(parking, r, signal, behave)).value, 'b', 'the next target answered');
  assert.deepEqual(parks, ['a:auth']);
  for (let i = 0; i < 5; i++) assert.equal((await call(parking, r, signal, behave)).value, 'b');
  assert.equal(aCalls, 1, 'parked: no attempt on the refused credential');
  clock.advance(60_000);
  await call(parking, r, signal, behave);
  assert.equal(aCalls, 2, 'tried again after the parking');
  // The gateway's own refusal of a client (no upstream status) still stops at once.
  const own = new GatewayError({ code: 'invalid_api_key', message: 'no key', status: 401, kind: 'auth' });
  await assert.rejects(call(router, route(['x', 'y']), signal, () => own), (e: unknown) => e === own);
});

test('each attempt’s timers share what is left of the deadline among the targets that could still answer', async () => {
  const { router, signal, clock } = setup();
  const r = route(['a', 'b', 'c']);
  // b cannot answer for now: it does not count among the targets that could follow a.
  for (let i = 0; i < 10; i++) router.target(r.targets[1]!, r.policy).breaker.onFailure(false);
  assert.equal(router.target(r.targets[1]!, r.policy).breaker.state, 'open');
  const seen: [string, number][] = [];
  const out = await toPromise<RunResult<string>>((to) =>
    router.route<string>(
      r,
      (t, _signal, sink, timers) => {
        seen.push([t.label, timers.answerMs]);
        clock.advance(1_000);
        if (t.provider.name === 'a') sink.failed(err('overloaded', 529));
        else sink.done(t.provider.name);
      },
      { signal, stream: false, deadlineAt: clock.now() + 12_000 },
      to,
    ),
  );
  assert.equal(out.value, 'c');
  // a: 12 s over a and c; c, the last that could answer: all that is left (11 s, less its backoff).
  assert.equal(seen[0]![0], 'a/m');
  assert.equal(seen[0]![1], 6_000);
  assert.equal(seen[1]![0], 'c/m');
  assert.ok(seen[1]![1] >= 10_000 && seen[1]![1] <= 11_000, String(seen[1]![1]));
});
