/**
 * The Guard as the request stage will call it: admit(head) before the body, reserve() after it,
 * settle() and release() at the end. Memory stores, a ManualClock and a fixed load sampler: no
 * sleeping, no sockets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../core/clock.js';
import { MemoryKeyStore } from '../storage/memory/memory-key-store.js';
import type { LimitStore } from '../storage/limit-store.js';
import { MemoryLimitStore } from '../storage/memory/memory-limit-store.js';
import { Guard, type RequestHead } from './guard.js';
import { KeyAdmin } from './key-admin.js';
import type { KeyInput } from './key-input.js';
import { FixedLoadSampler } from './load-sampler.js';
import { Reservation } from './reservation.js';
import { Admission, Refusal, type ReserveInput } from './request-admission.js';
import { DEFAULT_GUARD_SETTINGS, type GuardSettings } from './settings.js';

const T0 = Date.UTC(2024, 11, 11, 15, 16, 0, 250);

async function setup(over: Partial<GuardSettings> = {}, limitStore: LimitStore = new MemoryLimitStore()) {
  const clock = new ManualClock(T0);
  const sampler = new FixedLoadSampler();
  const keyStore = new MemoryKeyStore();
  const errors: string[] = [];
  const guard = await Guard.open({ settings: { ...DEFAULT_GUARD_SETTINGS, auth: 'keys', ...over }, keyStore, limitStore, clock, sampler, onError: (_e, what) => errors.push(what) });
  const key = async (input: Partial<KeyInput> = {}) => (await guard.keys.create({ name: 'test', ...input })).secret;
  return { clock, sampler, keyStore, limitStore, guard, key, errors };
}

const bearer = (key: string, extra: Record<string, string> = {}): RequestHead => ({ headers: { authorization: `Bearer ${key}`, ...extra }, remoteAddress: '203.0.113.9' });

function admitted(r: Admission | Refusal): Admission {
  if (r instanceof Refusal) assert.fail(`refused: ${r.error.code}: ${r.error.message}`);
  return r;
}
function reserved(r: Reservation | Refusal): Reservation {
  if (r instanceof Refusal) assert.fail(`refused: ${r.error.code}: ${r.error.message}`);
  return r;
}
function refused(r: Admission | Reservation | Refusal, code: string): Refusal {
  assert.ok(r instanceof Refusal, `expected a refusal ${code}`);
  assert.equal(r.error.code, code);
  return r;
}

const chat: ReserveInput = { alias: 'chat', targetModels: ['gpt-4o-mini'], estimatedInputTokens: 10 };

/** The outcome reserve() tells its sink, as a promise (the tests wait; the request stage does not). */
const reserve = (a: Admission, input: ReserveInput) => new Promise<Reservation | Refusal>((resolve) => a.reserve(input, { reserved: resolve }));

/** One whole request: admit, reserve, settle as reserved, release. */
async function request(guard: Guard, key: string, input = chat): Promise<Reservation | Refusal> {
  const a = guard.admit(bearer(key));
  if (a instanceof Refusal) return a;
  const r = await reserve(a, input);
  if (r instanceof Reservation) r.settle([{ model: input.targetModels[0]!, usage: { inputTokens: r.inputTokens, outputTokens: r.outputTokens } }]);
  a.release();
  return r;
}

describe('Guard: authentication', () => {
  it('refuses a missing, unknown or provider key with 401 invalid_api_key; Bearer and x-api-key both work', async () => {
    const { guard, key } = await setup();
    const secret = await key();
    refused(guard.admit({ headers: {}, remoteAddress: undefined }), 'invalid_api_key');
    refused(guard.admit(bearer('sk-proj-an-openai-key')), 'invalid_api_key');
    refused(guard.admit(bearer(`sk-sy-test${'0'.repeat(39)}`)), 'invalid_api_key');
    const r = refused(guard.admit(bearer(secret.slice(0, -1))), 'invalid_api_key');
    assert.equal(r.error.status, 401);
    assert.equal(r.headers['x-should-retry'], 'false');
    admitted(guard.admit(bearer(secret))).release();
    admitted(guard.admit({ headers: { 'x-api-key': secret }, remoteAddress: undefined })).release();
    await guard.close();
  });

  it('a key revoked through the guard is refused at once; one revoked by another writer (the CLI) within key_refresh_ms', async () => {
    const { guard, key, keyStore, clock } = await setup({ keyRefreshMs: 5_000 });
    const a = await key();
    const id = (await keyStore.list())[0]!.id;
    admitted(guard.admit(bearer(a))).release();
    await guard.keys.revoke(id);
    assert.match(refused(guard.admit(bearer(a)), 'key_revoked').error.message, /sk-sy-\w{4}… has been revoked/);

    // The CLI works on the same store through its own KeyAdmin: this guard learns of it on its next refresh.
    const cli = new KeyAdmin(keyStore, { clock, settings: DEFAULT_GUARD_SETTINGS });
    const b = (await cli.create({ name: 'from the cli' })).secret;
    refused(guard.admit(bearer(b)), 'invalid_api_key');
    clock.advance(4_999);
    await settleMicrotasks();
    refused(guard.admit(bearer(b)), 'invalid_api_key');
    clock.advance(1);
    await settleMicrotasks();
    admitted(guard.admit(bearer(b))).release();
    await guard.close();
  });

  it('refuses expired keys, and the old key of a rotation once its grace ends', async () => {
    const { guard, key, keyStore, clock } = await setup();
    const soon = await key({ expiresAt: T0 + 60_000 });
    admitted(guard.admit(bearer(soon))).release();
    clock.advance(60_000);
    refused(guard.admit(bearer(soon)), 'key_expired');

    const old = await key({ name: 'rotating' });
    const id = (await keyStore.list()).find((k) => k.name === 'rotating')!.id;
    const next = (await guard.keys.rotate(id, 3_600_000))!.secret;
    admitted(guard.admit(bearer(old))).release();
    admitted(guard.admit(bearer(next))).release();
    clock.advance(3_600_000);
    refused(guard.admit(bearer(old)), 'key_rotated');
    admitted(guard.admit(bearer(next))).release();
    await guard.close();
  });

  it('a key limited to some aliases is refused others with 403 alias_not_allowed', async () => {
    const { guard, key } = await setup();
    const k = await key({ aliases: ['chat'] });
    const a = admitted(guard.admit(bearer(k)));
    reserved(await reserve(a, chat));
    const r = refused(await reserve(a, { ...chat, alias: 'smart' }), 'alias_not_allowed');
    assert.equal(r.error.status, 403);
    a.release();
    await guard.close();
  });
});

describe('Guard: limits (issue #25 acceptance)', () => {
  it('RPM 60 offered 600 in a burst: exactly 60 admitted, the rest told the real time until admission', async () => {
    const { guard, key, clock } = await setup();
    const k = await key({ limits: { requestsPerMinute: 60 } });
    const results = await Promise.all(Array.from({ length: 600 }, () => request(guard, k)));
    const ok = results.filter((r) => r instanceof Reservation);
    const no = results.filter((r): r is Refusal => r instanceof Refusal);
    assert.equal(ok.length, 60);
    const waits = new Set(no.map((r) => r.error.retryAfterMs));
    assert.equal(waits.size, 1);
    const wait = [...waits][0]!;
    assert.equal(no[0]!.error.code, 'rate_limited');
    assert.equal(no[0]!.headers['retry-after-ms'], String(wait));
    assert.equal(no[0]!.headers['x-ratelimit-remaining-requests'], '0');
    assert.equal(no[0]!.headers['x-should-retry'], undefined);
    clock.advance(wait - 1);
    refused(await request(guard, k), 'rate_limited');
    clock.advance(1);
    reserved(await request(guard, k));
    await guard.close();
  });

  it('TPM with max_tokens: reserved tokens admitted per window stay within the limit', async () => {
    const { guard, key, clock } = await setup();
    const k = await key({ limits: { tokensPerMinute: 10_000 } });
    const admittedAt: { at: number; tokens: number }[] = [];
    for (let i = 0; i < 1_800; i++) {
      const r = await request(guard, k, { ...chat, estimatedInputTokens: 300, maxOutputTokens: 700 });
      if (r instanceof Reservation) admittedAt.push({ at: clock.now(), tokens: r.inputTokens + r.outputTokens });
      clock.advance(100);
    }
    let worst = 0;
    for (const e of admittedAt) worst = Math.max(worst, admittedAt.filter((f) => f.at >= e.at && f.at < e.at + 60_000).reduce((s, f) => s + f.tokens, 0));
    assert.ok(worst <= 10_000 * 1.01, `worst window ${worst}`);
    assert.ok(admittedAt.length >= 25, `admitted ${admittedAt.length}`);
    await guard.close();
  });

  it('a budget of $0.01 stops the key after the request that crosses it, never more than one reservation beyond', async () => {
    const { guard, key, keyStore } = await setup();
    const k = await key({ limits: { budget: { micros: 10_000, period: 'day' } } });
    // gpt-4o-mini: 1,000 in x 0.15 + 1,000 out x 0.60 = 750 micro-dollars reserved per request.
    const big = { alias: 'chat', targetModels: ['gpt-4o-mini'], estimatedInputTokens: 1_000, maxOutputTokens: 1_000 };
    // All in flight at once (reservations count before anything settles), then settled at full cost.
    const admissions = Array.from({ length: 30 }, () => admitted(guard.admit(bearer(k))));
    const results = await Promise.all(admissions.map((a) => reserve(a, big)));
    const ok = results.filter((r): r is Reservation => r instanceof Reservation);
    assert.equal(ok.length, 14); // spent before each: 0, 750, ..., 9,750: the 14th crosses $0.01
    const refusal = refused(results[14]!, 'budget_exhausted');
    assert.equal(refusal.error.status, 429);
    assert.equal(refusal.error.retryable, false);
    assert.equal(refusal.headers['x-should-retry'], 'false');
    assert.equal(refusal.error.retryAfterMs, Date.UTC(2024, 11, 12) - T0);
    for (const r of ok) r.settle([{ model: 'gpt-4o-mini', usage: { inputTokens: 1_000, outputTokens: 1_000 } }]);
    admissions.forEach((a) => a.release());
    const id = (await keyStore.list())[0]!.id;
    const spent = (await guard.keys.usage(id))!.usage[0]!.spentMicros;
    assert.equal(spent, 10_500);
    assert.ok(spent - 10_000 <= 750);
    refused(await request(guard, k, big), 'budget_exhausted');
    await guard.close();
  });

  it('settles from every attempt that ran: a cut attempt without usage is charged the estimate, the failover its usage', async () => {
    const { guard, key, keyStore } = await setup();
    const k = await key({ limits: { tokensPerMinute: 100_000, budget: { micros: 1_000_000, period: 'month' } } });
    const a = admitted(guard.admit(bearer(k)));
    const r = reserved(await reserve(a, { alias: 'chat', targetModels: ['gpt-4o', 'claude-sonnet-4-20250514'], estimatedInputTokens: 1_000, maxOutputTokens: 500 }));
    // The dearer target is reserved: claude-sonnet-4 at 1,000 x 3 + 500 x 15 = 10,500.
    assert.equal(r.costMicros, 10_500);
    r.settle([{ model: 'gpt-4o' }, { model: 'claude-sonnet-4-20250514', usage: { inputTokens: 1_100, outputTokens: 200 } }]);
    a.release();
    const id = (await keyStore.list())[0]!.id;
    const u = (await guard.keys.usage(id))!.usage[0]!;
    assert.equal(u.tokens, 1_500 + 1_300);
    // gpt-4o cut: 1,000 x 2.5 + 500 x 10 = 7,500; claude: 1,100 x 3 + 200 x 15 = 6,300.
    assert.equal(u.spentMicros, 13_800);
    assert.equal(u.concurrent, 0);
    await guard.close();
  });

  it('sends x-ratelimit-* with every admitted response, and none for a key without rate limits', async () => {
    const { guard, key } = await setup();
    const limited = await key({ limits: { requestsPerMinute: 60, tokensPerMinute: 10_000 } });
    const r = reserved(await request(guard, limited, { ...chat, maxOutputTokens: 90 }));
    assert.deepEqual(r.headers(), {
      'x-ratelimit-limit-requests': '60',
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-reset-requests': '1m0.75s',
      'x-ratelimit-limit-tokens': '10000',
      'x-ratelimit-remaining-tokens': '9900',
      'x-ratelimit-reset-tokens': '1m0.75s',
    });
    const free = await key();
    assert.deepEqual(reserved(await request(guard, free)).headers(), {});
    await guard.close();
  });

  it('team limits are shared by the team\'s keys; config defaults fill what a key leaves unset', async () => {
    const { guard, key } = await setup({ teams: { research: { requestsPerMinute: 3 } }, defaultLimits: { requestsPerMinute: 2 } });
    const a = await key({ team: 'research', limits: { requestsPerMinute: 100 } });
    const b = await key({ team: 'research', limits: { requestsPerMinute: 100 } });
    const c = await key();
    reserved(await request(guard, a));
    reserved(await request(guard, b));
    reserved(await request(guard, a));
    assert.match(refused(await request(guard, b), 'rate_limited').error.message, /team "research" on requests per minute \(limit 3\)/);
    reserved(await request(guard, c));
    reserved(await request(guard, c));
    assert.match(refused(await request(guard, c), 'rate_limited').error.message, /key "test" \(sk-sy-\w{4}…\) on requests per minute \(limit 2\)/);
    await guard.close();
  });

  it('concurrency: a slot per request until it settles or is released', async () => {
    const { guard, key } = await setup({ concurrencyRetryAfterMs: 1_000 });
    const k = await key({ limits: { concurrentRequests: 2 } });
    const one = admitted(guard.admit(bearer(k)));
    reserved(await reserve(one, chat));
    const two = admitted(guard.admit(bearer(k)));
    reserved(await reserve(two, chat));
    const three = admitted(guard.admit(bearer(k)));
    const r = refused(await reserve(three, chat), 'too_many_concurrent_requests');
    assert.equal(r.error.retryAfterMs, 1_000);
    three.release();
    // Released without a settle (the client went away): the slot is freed all the same.
    one.release();
    await settleMicrotasks();
    const four = admitted(guard.admit(bearer(k)));
    reserved(await reserve(four, chat));
    await guard.close();
  });
});

describe('Guard: overload and anonymous traffic', () => {
  it('sheds batch before interactive with a fast 503 that tells SDKs not to retry; a client may lower its priority, never raise it', async () => {
    const { guard, key, sampler } = await setup({ overload: { ...DEFAULT_GUARD_SETTINGS.overload, maxEventLoopDelayMs: 200 } });
    const interactive = await key();
    const batch = await key({ priority: 'batch' });
    sampler.delayMs = 160;
    const shed = refused(guard.admit(bearer(batch)), 'gateway_overloaded');
    assert.equal(shed.error.status, 503);
    assert.equal(shed.headers['x-should-retry'], 'false');
    assert.equal(shed.headers['retry-after-ms'], '1000');
    const a = admitted(guard.admit(bearer(interactive)));
    assert.equal(a.priority, 'interactive');
    a.release();
    refused(guard.admit(bearer(interactive, { 'x-switchyard-priority': 'batch' })), 'gateway_overloaded');
    refused(guard.admit(bearer(batch, { 'x-switchyard-priority': 'interactive' })), 'gateway_overloaded');
    sampler.delayMs = 0;
    assert.equal(admitted(guard.admit(bearer(batch, { 'x-switchyard-priority': 'interactive' }))).priority, 'batch');
    await guard.close();
  });

  it('refusals are cheap: 20,000 under overload and 20,000 unknown keys take well under 20 ms each', async () => {
    const { guard, key, sampler } = await setup();
    const k = await key();
    sampler.delayMs = 10_000;
    const t0 = performance.now();
    for (let i = 0; i < 20_000; i++) refused(guard.admit(bearer(k)), 'gateway_overloaded');
    for (let i = 0; i < 20_000; i++) refused(guard.admit(bearer(`sk-sy-test${i}`)), 'invalid_api_key');
    const perRefusal = (performance.now() - t0) / 40_000;
    // Microseconds in practice; the bound is loose so a busy shared machine cannot fail it.
    assert.ok(perRefusal < 0.5, `${perRefusal} ms per refusal`);
    assert.equal(guard.load().inFlight, 0);
    await guard.close();
  });

  it('auth: none admits without keys and limits each remote address, except loopback', async () => {
    const { guard } = await setup({ auth: 'none', ipLimit: { requestsPerMinute: 60, burst: 5, maxTracked: 1000, exemptLoopback: true } });
    const from = (remoteAddress: string): RequestHead => ({ headers: {}, remoteAddress });
    for (let i = 0; i < 5; i++) admitted(guard.admit(from('203.0.113.9'))).release();
    const r = refused(guard.admit(from('203.0.113.9')), 'rate_limited');
    assert.equal(r.error.retryAfterMs, 1_000);
    assert.equal(guard.load().inFlight, 0);
    admitted(guard.admit(from('198.51.100.4'))).release();
    for (let i = 0; i < 50; i++) admitted(guard.admit(from('::ffff:127.0.0.1'))).release();
    const a = admitted(guard.admit({ headers: { authorization: 'Bearer anything' }, remoteAddress: '::1' }));
    assert.equal(a.keyId, undefined);
    const res = reserved(await reserve(a, chat));
    assert.deepEqual(res.headers(), {});
    res.settle([]);
    a.release();
    await guard.close();
  });

  it('two guards in one process share nothing', async () => {
    const one = await setup({ overload: { ...DEFAULT_GUARD_SETTINGS.overload, maxInFlight: 1 } });
    const two = await setup({ overload: { ...DEFAULT_GUARD_SETTINGS.overload, maxInFlight: 1 } });
    const k = await one.key();
    admitted(one.guard.admit(bearer(k)));
    refused(two.guard.admit(bearer(k)), 'invalid_api_key');
    const k2 = await two.key();
    admitted(two.guard.admit(bearer(k2)));
    await one.guard.close();
    await two.guard.close();
  });

  it('a failing limit store admits and reports, rather than failing every request', async () => {
    const memory = new MemoryLimitStore();
    memory.reserveNow = () => {
      throw new Error('out of memory');
    };
    // A shared store (Redis) answers through promises: the guard waits for it instead of calling reserveNow.
    const shared: LimitStore = {
      reserve: () => Promise.reject(new Error('connection refused')),
      settle: () => Promise.resolve(),
      usage: () => Promise.resolve([]),
      close: () => Promise.resolve(),
    };
    for (const store of [memory, shared]) {
      const { guard, key, errors } = await setup({}, store);
      const k = await key({ limits: { requestsPerMinute: 1 } });
      const a = admitted(guard.admit(bearer(k)));
      const r = reserved(await reserve(a, chat));
      r.settle([]);
      a.release();
      assert.deepEqual(errors, ['limit store reserve']);
      await guard.close();
    }
  });

  it('a shared limit store counts through its promises: reserve, settle and release reach it', async () => {
    const memory = new MemoryLimitStore();
    const calls: string[] = [];
    const shared: LimitStore = {
      reserve: (req) => (calls.push('reserve'), memory.reserve(req)),
      settle: (req) => (calls.push('settle'), memory.settle(req)),
      usage: (rules, now) => memory.usage(rules, now),
      close: () => memory.close(),
    };
    const { guard, key } = await setup({}, shared);
    const k = await key({ limits: { requestsPerMinute: 1 } });
    const a = admitted(guard.admit(bearer(k)));
    const r = reserved(await reserve(a, chat));
    assert.equal(r.headers()['x-ratelimit-remaining-requests'], '0');
    r.settle([]);
    a.release();
    await settleMicrotasks();
    assert.deepEqual(calls, ['reserve', 'settle']);
    const b = admitted(guard.admit(bearer(k)));
    refused(await reserve(b, chat), 'rate_limited');
    b.release();
    await guard.close();
  });
});

async function settleMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
