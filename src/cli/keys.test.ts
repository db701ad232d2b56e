/**
 * `switchyard keys` in-process on a real keys.db: what an operator sees, that a created key is
 * shown once and then works in a Guard on the same file, and `usage` against a live admin API.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Guard } from '../guard/guard.js';
import { FixedLoadSampler } from '../guard/load-sampler.js';
import { Admission, Refusal } from '../guard/request-admission.js';
import { DEFAULT_GUARD_SETTINGS } from '../guard/settings.js';
import { handleAdminKeys } from '../http/admin-keys-handler.js';
import { openKeyStore } from '../storage/open-key-store.js';
import { MemoryLimitStore } from '../storage/memory/memory-limit-store.js';
import { main } from './main.js';
import { testIo } from './test-io.js';

const ADMIN = 'test-admin-key-0123456789abcdef';

function workdir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-keys-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const io = testIo({ cwd, env });
  const code = await main(['keys', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

async function guardOn(dataDir: string, adminKey?: string): Promise<Guard> {
  const settings = { ...DEFAULT_GUARD_SETTINGS, auth: 'keys' as const, ...(adminKey ? { adminKey } : {}) };
  return Guard.open({ settings, keyStore: await openKeyStore({ kind: 'sqlite', dir: dataDir }), limitStore: new MemoryLimitStore(), sampler: new FixedLoadSampler() });
}

describe('switchyard keys', () => {
  it('creates a key shown once; list and show never show it again; the key works in a gateway on the same store', async () => {
    const cwd = workdir();
    const c = await run(cwd, ['create', '--data-dir', 'data', '--name', 'ci', '--team', 'research', '--alias', 'chat', '--alias', 'smart', '--rpm', '60', '--budget', '0.01', '--budget-period', 'day', '--meta', 'ticket=OPS-25']);
    assert.equal(c.code, 0, c.err);
    const secret = /^ {2}(sk-sy-[0-9A-Za-z]{43})$/m.exec(c.out)?.[1];
    assert.ok(secret, c.out);
    assert.match(c.out, new RegExp(`^Created key key_\\w+ "ci" \\(${secret.slice(0, 10)}…\\) of team research in ${join(cwd, 'data').replace(/[/\\]/g, '.')}:$`, 'm'));
    assert.match(c.out, /shown only this once/);

    const l = await run(cwd, ['list', '--data-dir', 'data']);
    assert.equal(l.code, 0);
    assert.match(l.out, /^ID +PREFIX +STATUS +NAME +TEAM +LIMITS$/m);
    assert.match(l.out, new RegExp(`^key_\\w+ +${secret.slice(0, 10)}… +active +ci +research +60 rpm, \\$0\\.01/day$`, 'm'));
    const id = /^(key_\w+)/m.exec(l.out.split('\n')[1]!)![1]!;
    const s = await run(cwd, ['show', id, '--data-dir', 'data']);
    assert.match(s.out, /^ {2}aliases: {2}chat, smart$/m);
    assert.match(s.out, /^ {2}metadata: ticket=OPS-25$/m);
    for (const out of [l.out, s.out, (await run(cwd, ['show', id, '--data-dir', 'data', '--json'])).out]) assert.ok(!out.includes(secret.slice(10)));

    const guard = await guardOn(join(cwd, 'data'));
    try {
      assert.ok(guard.admit({ headers: { authorization: `Bearer ${secret}` }, remoteAddress: undefined }) instanceof Admission);
    } finally {
      await guard.close();
    }
  });

  it('revokes and rotates; the data directory comes from guard.data_dir in the config', async () => {
    const cwd = workdir({ 'gw.yaml': 'guard:\n  data_dir: ./keys-here\n' });
    const c = await run(cwd, ['create', '-c', 'gw.yaml', '--name', 'app', '--json']);
    assert.equal(c.code, 0, c.err);
    const created = JSON.parse(c.out) as { id: string; key: string };
    const r = await run(cwd, ['rotate', created.id, '-c', 'gw.yaml', '--grace-seconds', '0']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /The previous key \(none\) stops at once/);
    const fresh = /^ {2}(sk-sy-\w+)$/m.exec(r.out)![1]!;
    const v = await run(cwd, ['revoke', created.id, '-c', 'gw.yaml']);
    assert.match(v.out, /^Revoked key key_\w+ "app"/);

    const guard = await guardOn(join(cwd, 'keys-here'));
    try {
      const admit = (k: string) => guard.admit({ headers: { 'x-api-key': k }, remoteAddress: undefined }) as Refusal;
      assert.equal(admit(created.key).error.code, 'invalid_api_key');
      assert.equal(admit(fresh).error.code, 'key_revoked');
    } finally {
      await guard.close();
    }
  });

  it('explains mistakes: missing name (2), bad flag values (2), unknown ids (1), unknown priority (1)', async () => {
    const cwd = workdir();
    const noName = await run(cwd, ['create', '--data-dir', 'd']);
    assert.equal(noName.code, 2);
    assert.match(noName.err, /^switchyard keys create: --name is required/);
    const rpm = await run(cwd, ['create', '--data-dir', 'd', '--name', 'x', '--rpm', 'lots']);
    assert.equal(rpm.code, 2);
    assert.match(rpm.err, /^switchyard keys create: --rpm: expected a whole number >= 0/);
    const period = await run(cwd, ['create', '--data-dir', 'd', '--name', 'x', '--budget', '5', '--budget-period', 'year']);
    assert.match(period.err, /--budget-period: expected one of day, week, month/);
    const typo = await run(cwd, ['lst']);
    assert.equal(typo.code, 2);
    assert.match(typo.err, /unknown subcommand "lst" \(did you mean "list"\?\)/);
    assert.equal((await run(cwd, ['show'])).code, 2);
    const missing = await run(cwd, ['revoke', 'key_nope', '--data-dir', 'd']);
    assert.deepEqual([missing.code, missing.err], [1, 'No key with id "key_nope" (see switchyard keys list).\n']);
    const prio = await run(cwd, ['create', '--data-dir', 'd', '--name', 'x', '--priority', 'vip']);
    assert.deepEqual([prio.code, prio.err], [1, '--priority: unknown priority class "vip"; configured: interactive, batch\n']);
    assert.match((await run(cwd, ['list', '--data-dir', 'd'])).out, /^No keys in .*Create one with: switchyard keys create --name NAME$/m);
  });

  it('usage asks the running gateway\'s admin API', async () => {
    const cwd = workdir();
    const created = JSON.parse((await run(cwd, ['create', '--data-dir', 'data', '--name', 'u', '--rpm', '10', '--json'])).out) as { id: string; key: string };
    const guard = await guardOn(join(cwd, 'data'), ADMIN);
    const server = createServer((req, res) => void handleAdminKeys(guard, req, res, req.url!, req.method!));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const a = guard.admit({ headers: { authorization: `Bearer ${created.key}` }, remoteAddress: undefined }) as Admission;
      await new Promise((resolve) => a.reserve({ alias: 'chat', targetModels: ['gpt-4o-mini'], estimatedInputTokens: 10, maxOutputTokens: 10 }, { reserved: resolve }));
      a.release();
      const u = await run(cwd, ['usage', created.id, '--data-dir', 'data', '--url', url], { SWITCHYARD_ADMIN_KEY: ADMIN });
      assert.equal(u.code, 0, u.err);
      assert.match(u.out, /^ {2}requests: {2}1 of 10 per minute \(9 left; all clear in \d+ s\)$/m);
      assert.match(u.out, /^ {2}tokens: {4}20 in the last minute \(no limit\)$/m);
      assert.match(u.out, /^ {2}in flight: 0$/m);
      const noKey = await run(cwd, ['usage', created.id, '--data-dir', 'data', '--url', url]);
      assert.deepEqual([noKey.code, /SWITCHYARD_ADMIN_KEY/.test(noKey.err)], [1, true]);
      const wrong = await run(cwd, ['usage', created.id, '--data-dir', 'data', '--url', url], { SWITCHYARD_ADMIN_KEY: 'wrong-admin-key-0000000000000' });
      assert.match(wrong.err, /answered 401: This endpoint needs the admin key/);
    } finally {
      server.close();
      await guard.close();
    }
    const down = await run(cwd, ['usage', created.id, '--data-dir', 'data', '--url', 'http://127.0.0.1:9'], { SWITCHYARD_ADMIN_KEY: ADMIN });
    assert.match(down.err, /Could not reach the gateway at http:\/\/127\.0\.0\.1:9/);
  });
});
