/**
 * Issue #27 acceptance with real processes: three `switchyard serve` processes on one Redis and
 * one PostgreSQL hold one key to its limit together, and one of them killed with SIGKILL under
 * journaled traffic has lost no exchange whose answer reached its client; `serve --workers 2`
 * starts, serves, replaces a killed worker and stops on SIGTERM; `--workers 2` without shared
 * state is refused with the limits that would become per process. (In one process, with Redis
 * killed and restarted: src/gateway/shared-state.test.ts.)
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { openGuard } from '../guard/open-guard.js';
import { DEFAULT_GUARD_SETTINGS } from '../guard/settings.js';
import type { KeyLimits } from '../storage/key-store.js';
import { createSim } from '../sim/index.js';
import { SIM_KEYS, SIM_MODELS } from '../sim/gateway-config.js';
import { dropRedisPrefix, serviceUrl, uniqueName } from '../test-support/services.js';
import { freePort } from '../test-support/own-redis.js';
import { runServe } from './serve.js';
import { testIo } from './test-io.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
// By absolute URL: the processes run in a temporary directory, where `tsx` would not resolve.
const TSX = import.meta.resolve('tsx');

interface Serve {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<number | NodeJS.Signals>;
}

/** `switchyard serve ARGS` from source in a child process, ready once it printed its URL (60 s at most: tsx compiles first). */
async function serve(args: string[], cwd: string, ready = /listening on (http:\/\/127\.0\.0\.1:\d+)/): Promise<Serve> {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, 'serve', ...args], { cwd, env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | NodeJS.Signals>((r) => child.once('exit', (code, signal) => r(signal ?? code ?? -1)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const m = ready.exec(out);
    if (m) return { child, url: m[1]!, output: () => out, exited };
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`serve ${args.join(' ')} did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function ask(url: string, secret: string, content = 'Hello'): Promise<number> {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content }] }),
  }).then(async (r) => {
    await r.arrayBuffer();
    return r.status;
  });
}

/** Keys in the fleet's keys.db (the processes read it; a new key is seen within key_refresh_ms). */
async function createKey(dataDir: string, name: string, limits: KeyLimits): Promise<string> {
  const guard = await openGuard({ ...DEFAULT_GUARD_SETTINGS, auth: 'keys', dataDir }, { dataDir });
  try {
    return (await guard.keys.create({ name, limits })).secret;
  } finally {
    await guard.close();
  }
}

function fleetYaml(o: { sim: string; dataDir: string; redisUrl: string; prefix: string; pgUrl?: string }): string {
  return [
    'server: { host: 127.0.0.1 }',
    'providers:',
    `  - { name: sim-openai, type: openai, base_url: "${o.sim}/v1", api_key: "${SIM_KEYS.openai}" }`,
    'models:',
    `  - { name: chat, targets: [{ provider: sim-openai, model: ${SIM_MODELS.openai} }] }`,
    'auth: keys',
    // The clients share two cores with three gateways: shedding on event-loop delay is not what is measured here.
    `guard: { data_dir: "${o.dataDir}", key_refresh_ms: 200, overload: { max_event_loop_delay_ms: 10000 } }`,
    `storage: { state: redis, redis_url: "${o.redisUrl}", key_prefix: "${o.prefix}" }`,
    ...(o.pgUrl
      ? [
          `status: { data_dir: "${o.dataDir}", store: postgres, postgres_url: "${o.pgUrl}" }`,
          // The end of an answer waits for its commit for up to max_wait_ms: generous, on a loaded machine.
          `journal: { enabled: true, store: postgres, postgres_url: "${o.pgUrl}", max_wait_ms: 5000 }`,
        ]
      : [`status: { data_dir: "${o.dataDir}" }`]),
    '',
  ].join('\n');
}

/** A database of this run's own (dropped after): the stores write to its public schema. */
async function createDatabase(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const pg = (await import('pg')).default;
  const name = uniqueName('schema');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

const REDIS = serviceUrl('REDIS_URL');
const PG = serviceUrl('DATABASE_URL');

describe('three serve processes on one Redis and one PostgreSQL', { skip: REDIS === undefined || PG === undefined }, () => {
  const sim = createSim('openai');
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-scale-out-'));
  const prefix = uniqueName('prefix');
  let db: { url: string; drop(): Promise<void> };
  const fleet: Serve[] = [];

  before(async () => {
    const origin = await sim.start();
    db = await createDatabase(PG!);
    writeFileSync(join(dir, 'switchyard.yaml'), fleetYaml({ sim: origin, dataDir: join(dir, 'data'), redisUrl: REDIS!, prefix, pgUrl: db.url }));
    // One at a time: the first creates the PostgreSQL tables (the others would wait on its advisory lock anyway).
    for (let i = 0; i < 3; i++) fleet.push(await serve(['-c', 'switchyard.yaml', '--port', String(await freePort())], dir));
  });
  after(async () => {
    for (const s of fleet) s.child.kill('SIGKILL');
    await Promise.all(fleet.map((s) => s.exited));
    await sim.stop();
    await db?.drop();
    await dropRedisPrefix(REDIS!, prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('one key at 100 RPM, 200 concurrent clients spread over the three: at most 101 admitted in the window', async () => {
    const secret = await createKey(join(dir, 'data'), 'fleet', { requestsPerMinute: 100 });
    await new Promise((r) => setTimeout(r, 1_000)); // every process reloads its keys within key_refresh_ms (200 ms)
    const statuses = await Promise.all(Array.from({ length: 200 }, (_, i) => ask(fleet[i % 3]!.url, secret)));
    const admitted = statuses.filter((s) => s === 200).length;
    assert.ok(admitted >= 95 && admitted <= 101, `admitted ${admitted}: ${JSON.stringify(countBy(statuses))}`);
    assert.deepEqual(Object.keys(countBy(statuses)).sort(), ['200', '429'], `only answers and limit refusals: ${JSON.stringify(countBy(statuses))}`);
  });

  it('kill -9 of one process under journaled traffic: every exchange whose answer reached its client is in the PostgreSQL journal', async () => {
    const secret = await createKey(join(dir, 'data'), 'journaled', {});
    await new Promise((r) => setTimeout(r, 1_000));
    const victim = fleet[2]!;
    const done: string[] = [];
    let n = 0;
    let killed = false;
    const client = async () => {
      while (!killed && n < 2_000) {
        const marker = `journal-probe-${prefix.slice(8, 20)}-${n++}`;
        const status = await ask(victim.url, secret, `please remember ${marker}`).catch(() => 0);
        if (status === 200) done.push(marker);
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await new Promise((r) => setTimeout(r, 1_500));
    killed = true;
    victim.child.kill('SIGKILL');
    await Promise.all(clients);
    assert.equal(await victim.exited, 'SIGKILL');
    assert.ok(done.length >= 5, `traffic flowed before the kill (${done.length} answers)`);

    const pg = (await import('pg')).default;
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      const { rows } = await c.query<{ body: string }>('SELECT body FROM journal_exchanges');
      const all = rows.map((r) => r.body).join('\n');
      const lost = done.filter((m) => !all.includes(m));
      assert.deepEqual(lost, [], `${lost.length} of ${done.length} answered exchanges missing from the journal`);
    } finally {
      await c.end();
    }
    // The others kept serving.
    assert.equal(await ask(fleet[0]!.url, secret), 200);
  });
});

describe('serve --workers', () => {
  it('2 workers on one port with Redis: starts, serves, replaces a killed worker, stops on SIGTERM with exit 0', { skip: REDIS === undefined }, async () => {
    const sim = createSim('openai');
    const origin = await sim.start();
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-workers-'));
    const prefix = uniqueName('prefix');
    try {
      writeFileSync(join(dir, 'switchyard.yaml'), fleetYaml({ sim: origin, dataDir: join(dir, 'data'), redisUrl: REDIS!, prefix }));
      const secret = await createKey(join(dir, 'data'), 'workers', {});
      const port = await freePort();
      const s = await serve(['-c', 'switchyard.yaml', '--port', String(port), '--workers', '2'], dir, /listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*listening on http/);
      assert.equal(s.url, `http://127.0.0.1:${port}`);
      const pids = [...s.output().matchAll(/worker \d+ started \(pid (\d+)\)/g)].map((m) => Number(m[1]));
      assert.equal(pids.length, 2, s.output());
      const statuses = await Promise.all(Array.from({ length: 20 }, () => ask(s.url, secret)));
      assert.deepEqual(statuses, Array(20).fill(200));

      process.kill(pids[0]!, 'SIGKILL');
      const deadline = Date.now() + 60_000;
      const replaced = () => /worker 3 started/.test(s.output()) && (s.output().match(/listening on/g) ?? []).length === 3;
      while (!replaced() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.ok(replaced(), s.output());
      assert.match(s.output(), /worker 1 stopped \(killed by SIGKILL\); starting another/);
      assert.equal(await ask(s.url, secret), 200, 'still serving');

      s.child.kill('SIGTERM');
      assert.equal(await s.exited, 0, s.output());
      assert.match(s.output(), /SIGTERM: stopping 2 workers/);
      await assert.rejects(fetch(`${s.url}/healthz`), 'nothing listens any more');
    } finally {
      await sim.stop();
      await dropRedisPrefix(REDIS!, prefix);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('2 workers without storage: refused, naming the limits that would become per process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-workers-refused-'));
    try {
      writeFileSync(join(dir, 'switchyard.yaml'), 'providers:\n  - { name: oa, type: openai, api_key: "sk-FAKE-test-0000" }\nmodels:\n  - { name: chat, targets: [{ provider: oa, model: gpt-4o-mini }] }\n');
      const io = testIo({ cwd: dir });
      assert.equal(await runServe(['--workers', '2'], io), 1);
      assert.match(io.err(), /--workers 2 needs shared state: without it each worker process would keep its own key and team limits \(requests and tokens per minute, concurrent requests, budgets\), parked credentials/);
      assert.match(io.err(), /storage: \{ state: memory \} to accept limits per process/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function countBy(xs: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
