/**
 * The admin API over a real socket: a plain node:http server routing /admin/keys to the handler,
 * a Guard over memory stores, fetch as the client.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../core/clock.js';
import { Guard } from '../guard/guard.js';
import { FixedLoadSampler } from '../guard/load-sampler.js';
import { Admission, Refusal } from '../guard/request-admission.js';
import { DEFAULT_GUARD_SETTINGS } from '../guard/settings.js';
import { MemoryKeyStore } from '../storage/memory/memory-key-store.js';
import { MemoryLimitStore } from '../storage/memory/memory-limit-store.js';
import { handleAdminKeys, MAX_ADMIN_BODY_BYTES } from './admin-keys-handler.js';

const ADMIN = 'test-admin-key-0123456789abcdef';

async function serve(adminKey: string | undefined): Promise<{ guard: Guard; clock: ManualClock; base: string; server: Server }> {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
  const settings = { ...DEFAULT_GUARD_SETTINGS, auth: 'keys' as const, ...(adminKey ? { adminKey } : {}) };
  const guard = await Guard.open({ settings, keyStore: new MemoryKeyStore(), limitStore: new MemoryLimitStore(), clock, sampler: new FixedLoadSampler() });
  const server = createServer((req, res) => {
    const path = req.url!.split('?')[0]!;
    void handleAdminKeys(guard, req, res, path, req.method!);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { guard, clock, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function call(base: string, method: string, path: string, body?: unknown, key: string | null = ADMIN): Promise<{ status: number; json: Record<string, unknown>; text: string; headers: Headers }> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as Record<string, unknown>, text, headers: res.headers };
}

const errorOf = (r: { json: Record<string, unknown> }) => r.json.error as { code: string; message: string; param: string | null; type: string };

describe('admin API /admin/keys', () => {
  let env: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    env = await serve(ADMIN);
  });
  after(async () => {
    env.server.close();
    await env.guard.close();
  });

  it('refuses without the admin key, with a wrong one, and with a virtual key', async () => {
    const none = await call(env.base, 'GET', '/admin/keys', undefined, null);
    assert.equal(none.status, 401);
    assert.equal(errorOf(none).code, 'invalid_admin_key');
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    assert.equal((await call(env.base, 'GET', '/admin/keys', undefined, `${ADMIN}x`)).status, 401);
    const created = await call(env.base, 'POST', '/admin/keys', { name: 'not an admin' });
    assert.equal((await call(env.base, 'GET', '/admin/keys', undefined, created.json.key as string)).status, 401);
    // Nothing was created by the refused calls.
    assert.equal((await call(env.base, 'POST', '/admin/keys', { name: 'x' }, 'nope')).status, 401);
  });

  it('creates a key shown once, lists and shows it by prefix only, and the key works at once', async () => {
    const c = await call(env.base, 'POST', '/admin/keys', { name: 'ci', team: 'research', aliases: ['chat'], limits: { requests_per_minute: 60, budget: { usd: 5, period: 'month' } }, metadata: { ticket: 'OPS-25' } });
    assert.equal(c.status, 201);
    assert.equal(c.headers.get('cache-control'), 'no-store');
    const secret = c.json.key as string;
    assert.match(secret, /^sk-sy-[0-9A-Za-z]{43}$/);
    assert.equal(c.json.prefix, `${secret.slice(0, 10)}…`);
    assert.deepEqual(c.json.limits, { requests_per_minute: 60, budget: { usd: 5, period: 'month' } });
    const id = c.json.id as string;

    const list = await call(env.base, 'GET', '/admin/keys');
    const shown = await call(env.base, 'GET', `/admin/keys/${id}`);
    for (const r of [list, shown]) {
      assert.equal(r.status, 200);
      assert.ok(!r.text.includes(secret.slice(10)), 'the key is shown again');
      assert.ok(!/"hash"|[0-9a-f]{64}/.test(r.text), 'a hash is shown');
    }
    assert.ok((list.json.data as { id: string }[]).some((k) => k.id === id));
    assert.equal(shown.json.status, 'active');
    assert.deepEqual(shown.json.metadata, { ticket: 'OPS-25' });
    assert.ok(env.guard.admit({ headers: { authorization: `Bearer ${secret}` }, remoteAddress: undefined }) instanceof Admission);
  });

  it('updates (null clears), revokes at once, and rotates with a grace period', async () => {
    const { json } = await call(env.base, 'POST', '/admin/keys', { name: 'app', team: 'web' });
    const id = json.id as string;
    const old = json.key as string;
    const u = await call(env.base, 'PATCH', `/admin/keys/${id}`, { name: 'app v2', team: null, priority: 'batch' });
    assert.deepEqual([u.status, u.json.name, u.json.team, u.json.priority], [200, 'app v2', null, 'batch']);

    const r = await call(env.base, 'POST', `/admin/keys/${id}/rotate`, { grace_seconds: 60 });
    assert.equal(r.status, 200);
    const fresh = r.json.key as string;
    assert.notEqual(fresh, old);
    assert.deepEqual(r.json.rotation, { previous_prefix: `${old.slice(0, 10)}…`, previous_valid_until: '2026-01-05T09:01:00.000Z' });
    const admit = (k: string) => env.guard.admit({ headers: { 'x-api-key': k }, remoteAddress: undefined });
    assert.ok(admit(old) instanceof Admission);
    assert.ok(admit(fresh) instanceof Admission);
    env.clock.advance(60_000);
    assert.equal((admit(old) as Refusal).error.code, 'key_rotated');

    const v = await call(env.base, 'POST', `/admin/keys/${id}/revoke`);
    assert.deepEqual([v.status, v.json.status], [200, 'revoked']);
    assert.equal((admit(fresh) as Refusal).error.code, 'key_revoked');
    const again = await call(env.base, 'POST', `/admin/keys/${id}/rotate`, {});
    assert.equal(again.status, 400);
    assert.match(errorOf(again).message, /revoked/);
  });

  it('reports usage for the key and its team from this instance\'s counters', async () => {
    const { json } = await call(env.base, 'POST', '/admin/keys', { name: 'usage', team: 'research', limits: { requests_per_minute: 10 } });
    const a = env.guard.admit({ headers: { authorization: `Bearer ${json.key as string}` }, remoteAddress: undefined }) as Admission;
    await new Promise((resolve) => a.reserve({ alias: 'chat', targetModels: ['gpt-4o-mini'], estimatedInputTokens: 100, maxOutputTokens: 50 }, { reserved: resolve }));
    const u = await call(env.base, 'GET', `/admin/keys/${json.id as string}/usage`);
    assert.equal(u.status, 200);
    const key = u.json.key as { requests: { used: number; limit: number; remaining: number }; tokens: { used: number }; concurrent: { in_flight: number } };
    assert.deepEqual(key.requests.used, 1);
    assert.deepEqual([key.requests.limit, key.requests.remaining, key.tokens.used, key.concurrent.in_flight], [10, 9, 150, 1]);
    assert.equal((u.json.team as { subject: string }).subject, 'team:research');
    a.release();
  });

  it('answers bad input with the field at fault, unknown ids and paths with 404, wrong methods with 405, big bodies with 413', async () => {
    const bad = await call(env.base, 'POST', '/admin/keys', { name: 'x', limits: { rpm: 1 } });
    assert.deepEqual([bad.status, errorOf(bad).param, errorOf(bad).type], [400, 'limits.rpm', 'invalid_request_error']);
    const prio = await call(env.base, 'POST', '/admin/keys', { name: 'x', priority: 'vip' });
    assert.deepEqual([prio.status, errorOf(prio).param], [400, 'priority']);
    assert.equal(errorOf(await call(env.base, 'POST', '/admin/keys', '{"name": ')).code, 'invalid_json');
    assert.equal(errorOf(await call(env.base, 'GET', '/admin/keys/key_nope')).code, 'key_not_found');
    assert.equal((await call(env.base, 'POST', '/admin/keys/key_nope/rotate')).status, 404);
    assert.equal((await call(env.base, 'GET', '/admin/keys/key_nope/explode')).status, 404);
    assert.equal((await call(env.base, 'GET', '/admin/keysfoo')).status, 404);
    const m = await call(env.base, 'DELETE', '/admin/keys/key_nope');
    assert.deepEqual([m.status, m.headers.get('allow')], [405, 'GET, PATCH']);
    const grace = await call(env.base, 'POST', '/admin/keys/key_nope/rotate', { grace_seconds: -1 });
    assert.deepEqual([grace.status, errorOf(grace).param], [400, 'grace_seconds']);
    const big = await call(env.base, 'POST', '/admin/keys', { name: 'x', metadata: { a: 'x'.repeat(MAX_ADMIN_BODY_BYTES) } });
    assert.equal(big.status, 413);
  });
});

it('admin API without an admin key configured: 404 saying how to turn it on', async () => {
  const env = await serve(undefined);
  try {
    const r = await call(env.base, 'GET', '/admin/keys');
    assert.equal(r.status, 404);
    assert.equal(errorOf(r).code, 'admin_api_disabled');
    assert.match(errorOf(r).message, /guard\.admin_key.*SWITCHYARD_ADMIN_KEY/);
  } finally {
    env.server.close();
    await env.guard.close();
  }
});
