/**
 * The journal with virtual keys: a key's own choice (metadata `journal: on|off`) wins over the
 * configured aliases, its own retention over the configured one, and a key sees only its own
 * conversations.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { DEFAULT_GUARD_SETTINGS } from '../guard/settings.js';
import { defaultJournalConfig } from '../journal/journal-config.js';
import { startStack, type Stack } from '../test-support/stack.js';

const ADMIN = 'sk-admin-FAKE-test-0000000000';
const DAY = 86_400_000;
let st: Stack;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-journal-keys-'));
  const calm = { eventLoopDelayMs: () => 0, heapUsedRatio: () => 0, close: () => {} };
  st = await startStack({
    loadSampler: calm,
    configure: (c) => ({ ...c, guard: { ...DEFAULT_GUARD_SETTINGS, auth: 'keys', adminKey: ADMIN, dataDir: dir }, journal: defaultJournalConfig({ aliases: ['claude'] }) }),
  });
});
after(async () => {
  await st.close();
  rmSync(dir, { recursive: true, force: true });
});

const key = async (name: string, metadata: Record<string, string>) => (await st.gateway.context.guard!.keys.create({ name, metadata })).secret;
const openai = (secret: string) => new OpenAI({ baseURL: `${st.url}/v1`, apiKey: secret, maxRetries: 0 });
const ask = (secret: string, model: string, words: string) => openai(secret).chat.completions.create({ model, messages: [{ role: 'user', content: words }] });

async function list(secret: string, q: string): Promise<Array<{ id: string; expires_at: string; updated_at: string }>> {
  const r = await fetch(`${st.url}/v1/conversations?q=${q}`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(r.status, 200);
  return ((await r.json()) as { data: Array<{ id: string; expires_at: string; updated_at: string }> }).data;
}

test("a key that opts in is kept on every alias, one that opts out on none; each with its own retention", async () => {
  const inKey = await key('in', { journal: 'on', journal_retention_days: '7' });
  const outKey = await key('out', { journal: 'off' });
  const plainKey = await key('plain', {});
  await ask(inKey, 'chat', 'optin question about walruses');
  await ask(outKey, 'claude', 'optout question about walruses');
  await ask(plainKey, 'chat', 'plain question about walruses');
  await ask(plainKey, 'claude', 'plain claude question about walruses');

  const mine = await list(inKey, 'walruses');
  assert.equal(mine.length, 1, 'the opted-in key, on an alias the configuration does not keep');
  const c = mine[0]!;
  assert.equal(Date.parse(c.expires_at) - Date.parse(c.updated_at), 7 * DAY);
  assert.equal((await list(outKey, 'walruses')).length, 0, 'the opted-out key, on an alias the configuration keeps');
  const plain = await list(plainKey, 'walruses');
  assert.equal(plain.length, 1, "a key without a choice: the configuration's aliases (claude only)");
  assert.equal(Date.parse(plain[0]!.expires_at) - Date.parse(plain[0]!.updated_at), 30 * DAY);
});

test("a key sees only its own conversations; another key's is a 404", async () => {
  const a = await key('a', { journal: 'on' });
  const b = await key('b', { journal: 'on' });
  await ask(a, 'chat', 'private notes about herons');
  const [conv] = await list(a, 'herons');
  assert.ok(conv);
  assert.equal((await list(b, 'herons')).length, 0);
  const r = await fetch(`${st.url}/v1/conversations/${conv.id}`, { headers: { authorization: `Bearer ${b}` } });
  assert.equal(r.status, 404);
  const admin = await fetch(`${st.url}/v1/conversations/${conv.id}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  assert.equal(admin.status, 200);
});
