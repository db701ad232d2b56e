/**
 * Issue #25 through the official SDKs: a gateway with `auth: keys` refuses clients without a valid
 * virtual key in their own format, holds each key to its limits with the headers clients know, and
 * stops a key at its budget. The admin API refuses without the admin key.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { DEFAULT_GUARD_SETTINGS } from '../guard/settings.js';
import type { KeyLimits } from '../storage/key-store.js';
import { startStack, type Stack } from '../test-support/stack.js';

const ADMIN = 'sk-admin-FAKE-test-0000000000';
let st: Stack;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-guard-'));
  // The SDK clients share the gateway's event loop here: its own load is measured as calm, so only the key limits decide.
  const calm = { eventLoopDelayMs: () => 0, heapUsedRatio: () => 0, close: () => {} };
  st = await startStack({ loadSampler: calm, configure: (c) => ({ ...c, guard: { ...DEFAULT_GUARD_SETTINGS, auth: 'keys', adminKey: ADMIN, dataDir: dir } }) });
});
after(async () => {
  await st.close();
  rmSync(dir, { recursive: true, force: true });
});

async function newKey(name: string, extra: { limits?: KeyLimits; aliases?: string[]; expiresAt?: number } = {}): Promise<{ id: string; secret: string }> {
  const { key, secret } = await st.gateway.context.guard!.keys.create({ name, ...extra });
  return { id: key.id, secret };
}
const openai = (key: string) => new OpenAI({ baseURL: `${st.url}/v1`, apiKey: key, maxRetries: 0 });
const anthropic = (key: string) => new Anthropic({ baseURL: st.url, apiKey: key, maxRetries: 0 });
const ask = (key: string, model = 'chat') => openai(key).chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello' }] });

describe('authentication', () => {
  test('no key, an unknown key, a revoked key, an expired key: 401 in the OpenAI format', async () => {
    const revoked = await newKey('revoked');
    await st.gateway.context.guard!.keys.revoke(revoked.id);
    const expired = await newKey('expired', { expiresAt: Date.now() - 1000 });
    // The SDK will not send without a key: the bare request, as any client without one would.
    const bare = await fetch(`${st.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'chat', messages: [] }) });
    assert.equal(bare.status, 401);
    assert.deepEqual(((await bare.json()) as { error: { code: string; type: string } }).error.code, 'invalid_api_key');
    for (const [key, code] of [
      ['sk-sy-thisKeyWasNeverIssuedByThisGatewayFAKE0000000000', 'invalid_api_key'],
      [revoked.secret, 'key_revoked'],
      [expired.secret, 'key_expired'],
    ] as const) {
      const e = await ask(key).catch((x: unknown) => x);
      assert.ok(e instanceof OpenAI.AuthenticationError, `${code}: ${String(e)}`);
      assert.equal((e.error as { code?: string }).code, code);
    }
    assert.equal(st.sims.openai.stats.requests, 0, 'nothing reached a provider');
  });

  test('the same refusals in the Anthropic format, with the key in x-api-key', async () => {
    const e = await anthropic('sk-sy-neverIssuedFAKE00000000000000000000000000000000').messages.create({ model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((x: unknown) => x);
    assert.ok(e instanceof Anthropic.AuthenticationError, String(e));
    assert.equal((e.error as { error?: { type?: string } }).error?.type, 'authentication_error');
  });

  test('a valid key is served, by Bearer and by x-api-key; an alias it may not use is a 403 naming the model', async () => {
    const k = await newKey('ok', { aliases: ['chat', 'claude'] });
    assert.ok((await ask(k.secret)).choices[0]!.message.content);
    const m = await anthropic(k.secret).messages.create({ model: 'claude', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(m.type, 'message');
    const e = await ask(k.secret, 'gemini').catch((x: unknown) => x);
    assert.ok(e instanceof OpenAI.PermissionDeniedError && /gemini/.test(e.message), String(e));
  });
});

describe('limits', () => {
  test('RPM 60, 600 offered in a burst: 60 admitted, the rest 429 with the real wait and the rate-limit headers', async () => {
    const k = await newKey('rpm', { limits: { requestsPerMinute: 60 } });
    const results = await Promise.all(
      Array.from({ length: 600 }, () =>
        fetch(`${st.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${k.secret}` },
          body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
        }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.text() })),
      ),
    );
    const statuses: Record<number, number> = {};
    for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    const ok = results.filter((r) => r.status === 200);
    const limited = results.filter((r) => r.status === 429);
    assert.ok(ok.length >= 59 && ok.length <= 61, `admitted ${ok.length}`);
    assert.equal(ok.length + limited.length, 600, JSON.stringify(statuses));
    assert.equal(ok[0]!.headers.get('x-ratelimit-limit-requests'), '60');
    const wait = Number(limited[0]!.headers.get('retry-after'));
    assert.ok(wait >= 1 && wait <= 61, `Retry-After ${wait}`);
    assert.match(JSON.parse(limited[0]!.body).error.code, /rate_limited/);
  });

  test('a 429 from a key limit carries a Retry-After the openai SDK honours: it retries and gets through', async () => {
    const k = await newKey('retry', { limits: { requestsPerMinute: 600 } });
    // 600 per minute = one every 100 ms: the second request within that time waits, per Retry-After, then passes.
    const client = new OpenAI({ baseURL: `${st.url}/v1`, apiKey: k.secret, maxRetries: 3 });
    const started = Date.now();
    const burst = await Promise.all(Array.from({ length: 3 }, () => client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] })));
    assert.equal(burst.length, 3);
    assert.ok(Date.now() - started < 15_000);
  });

  test('TPM with max_tokens: the tokens admitted in the window stay within the limit', async () => {
    const k = await newKey('tpm', { limits: { tokensPerMinute: 2_000 } });
    const statuses = await Promise.all(
      Array.from({ length: 20 }, () =>
        openai(k.secret)
          .chat.completions.create({ model: 'chat', max_tokens: 190, messages: [{ role: 'user', content: 'hi' }] })
          .then(() => 200, (e: unknown) => (e instanceof OpenAI.APIError ? e.status : 0)),
      ),
    );
    const admitted = statuses.filter((s) => s === 200).length;
    // Each reserves its estimated input (a few tokens) plus 190: at most 10 fit in 2,000.
    assert.ok(admitted >= 8 && admitted <= 10, `admitted ${admitted}`);
    assert.ok(statuses.every((s) => s === 200 || s === 429));
  });

  test('a budget of $0.01 stops the key after the request that crosses it, with x-should-retry: false', async () => {
    const k = await newKey('budget', { limits: { budget: { micros: 10_000, period: 'day' } } });
    let served = 0;
    let refusal: { status: number; code: string; type: string; noRetry: string | null } | undefined;
    for (let i = 0; i < 200 && !refusal; i++) {
      const r = await fetch(`${st.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${k.secret}` },
        // gpt-4o-mini list price: a request of ~1,000 output tokens costs about $0.0006.
        body: JSON.stringify({ model: 'chat', max_tokens: 1000, messages: [{ role: 'user', content: 'Tell me a story, reply with 900 words' }] }),
      });
      if (r.status === 200) served++;
      else {
        const error = (JSON.parse(await r.text()) as { error: { code: string; type: string } }).error;
        refusal = { status: r.status, code: error.code, type: error.type, noRetry: r.headers.get('x-should-retry') };
      }
    }
    assert.ok(refusal, 'the budget stopped the key');
    assert.deepEqual(refusal, { status: 429, code: 'budget_exhausted', type: 'insufficient_quota', noRetry: 'false' });
    const usage = await st.gateway.context.guard!.keys.usage(k.id);
    const spent = usage!.usage.find((u) => u.budgetMicros !== undefined)?.spentMicros ?? 0;
    assert.ok(served > 1, `served ${served}`);
    // Never more than one request's reserved cost beyond the budget.
    assert.ok(spent <= 10_000 + 1_000, `spent ${spent} micro-dollars`);
  });
});

describe('admin API', () => {
  test('refuses without the admin key, serves with it, and never returns a secret again', async () => {
    const no = await fetch(`${st.url}/admin/keys`);
    assert.equal(no.status, 401);
    const wrong = await fetch(`${st.url}/admin/keys`, { headers: { authorization: 'Bearer sk-admin-wrong-FAKE' } });
    assert.equal(wrong.status, 401);
    const created = await fetch(`${st.url}/admin/keys`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'via-admin' }) });
    assert.equal(created.status, 201);
    const body = (await created.json()) as { id: string; key: string };
    assert.match(body.key, /^sk-sy-/);
    const listed = await (await fetch(`${st.url}/admin/keys`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
    assert.ok(!listed.includes(body.key), 'a listing never shows a key');
    assert.ok((await ask(body.key)).choices[0]);
  });
});
