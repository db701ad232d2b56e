/**
 * Issue #26 acceptance, crash safety: `switchyard serve` with the journal on SQLite, under
 * concurrent traffic (Chat Completions and Messages, JSON and streamed, pass-through and
 * translated), killed with SIGKILL at a random moment, 50 times. Every exchange whose response
 * ended at the client (its whole JSON body, or its stream's final event, received) must be found
 * by the journal's search after the restart; the file left by the kill must pass
 * `PRAGMA integrity_check`; the restarted gateway must answer.
 *
 * Real processes, real sockets, real kills. The moments and the traffic mix come from a seeded
 * random: the seed is printed, and CRASH_SEED=<seed> replays a failing run's choices (timing on a
 * loaded machine still varies). CRASH_ROUNDS=<n> runs fewer or more rounds.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { seededRandom } from '../core/random.js';
import { createSim, SIM_BASE_PATH, type SimServer } from '../sim/index.js';
import { openSqliteDatabase } from '../storage/sqlite/driver.js';

const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 50);
const CLIENTS = 12;
const ADMIN_KEY = 'admin-FAKE-crash-test-0123456789';
const MAIN = new URL('../cli/main.ts', import.meta.url).pathname;

const root = mkdtempSync(join(tmpdir(), 'switchyard-crash-'));
const dataDir = join(root, 'data');
const sims: SimServer[] = [];
let config = '';

before(async () => {
  // Small delays so that a kill lands before, during and after answers: in the upstream wait, mid-stream, at the commit.
  const openai = createSim('openai', { ttftMs: 3, chunkDelayMs: 1 });
  const anthropic = createSim('anthropic', { ttftMs: 3, chunkDelayMs: 1 });
  sims.push(openai, anthropic);
  const [o, a] = [await openai.start(), await anthropic.start()];
  config = join(root, 'switchyard.yaml');
  writeFileSync(
    config,
    [
      'server: { port: 0 }',
      'providers:',
      `  - { name: sim-openai, type: openai, base_url: "${o}${SIM_BASE_PATH.openai}", api_key: "sk-FAKE-openai" }`,
      `  - { name: sim-anthropic, type: anthropic, base_url: "${a}${SIM_BASE_PATH.anthropic}", api_key: "sk-ant-FAKE" }`,
      'models:',
      '  - { name: gpt, targets: [{ provider: sim-openai, model: gpt-4o-mini }] }',
      '  - { name: claude, targets: [{ provider: sim-anthropic, model: claude-haiku-4-5 }] }',
      `journal: { enabled: true, data_dir: "${dataDir}" }`,
      `guard: { admin_key: "${ADMIN_KEY}" }`,
      `status: { data_dir: "${join(root, 'status')}" }`,
      '',
    ].join('\n'),
  );
});

after(async () => {
  for (const s of sims) await s.stop();
  rmSync(root, { recursive: true, force: true });
});

interface Gateway {
  child: ChildProcess;
  url: string;
  closed: Promise<void>;
  output(): string;
}

/** `switchyard serve` from source; resolves once it prints its URL. */
function startGateway(): Promise<Gateway> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--config', config, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn' },
    });
    let out = '';
    const keep = (d: string) => (out = (out + d).slice(-8_000));
    const closed = new Promise<void>((r) => child.once('close', () => r()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the gateway did not start within 60 s:\n${out}`));
    }, 60_000);
    child.stderr!.setEncoding('utf8').on('data', keep);
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      keep(d);
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, closed, output: () => out });
      }
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited before listening (code ${code}, signal ${signal}):\n${out}`));
    });
  });
}

interface Kind {
  api: 'chat' | 'messages';
  model: 'gpt' | 'claude';
  stream: boolean;
}

const KINDS: Kind[] = [];
for (const api of ['chat', 'messages'] as const) for (const model of ['gpt', 'claude'] as const) for (const stream of [false, true]) KINDS.push({ api, model, stream });
const label = (k: Kind) => `${k.api}/${k.model}/${k.stream ? 'stream' : 'json'}`;

/**
 * One request carrying `marker`; true once its response ended at the client: the whole JSON body,
 * or the stream's final event (`data: [DONE]`, `event: message_stop`). The check is made as the
 * bytes arrive, so a kill just after the final event still counts the answer as received.
 */
async function exchange(url: string, k: Kind, marker: string): Promise<boolean> {
  const text = `Remember ${marker} for me, please.`;
  const body =
    k.api === 'chat'
      ? { model: k.model, stream: k.stream, messages: [{ role: 'user', content: text }] }
      : { model: k.model, stream: k.stream, max_tokens: 64, messages: [{ role: 'user', content: text }] };
  const res = await fetch(`${url}/v1/${k.api === 'chat' ? 'chat/completions' : 'messages'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`${label(k)}: status ${res.status}: ${await res.text()}`);
  if (!k.stream) {
    JSON.parse(await res.text());
    return true;
  }
  const end = k.api === 'chat' ? 'data: [DONE]' : 'event: message_stop';
  const decoder = new TextDecoder();
  let seen = '';
  for await (const part of res.body!) {
    seen += decoder.decode(part as Uint8Array, { stream: true });
    if (seen.includes(end)) return true;
  }
  return false;
}

interface RoundResult {
  ended: { marker: string; kind: Kind }[];
  cut: number;
  refused: string[];
}

/** Traffic from CLIENTS loops until the gateway dies, killed `killAfterMs` after the traffic began. */
async function trafficUntilKilled(gw: Gateway, round: number, rand: () => number, killAfterMs: number): Promise<RoundResult> {
  const result: RoundResult = { ended: [], cut: 0, refused: [] };
  let dead = false;
  void gw.closed.then(() => (dead = true));
  let n = 0;
  const client = async (c: number) => {
    while (!dead) {
      const kind = KINDS[Math.floor(rand() * KINDS.length)]!;
      const marker = `crash${SEED.toString(36)}r${round}c${c}n${n++}`;
      try {
        if (await exchange(gw.url, kind, marker)) result.ended.push({ marker, kind });
        else result.cut++;
      } catch (e) {
        // Refused or cut by the kill: the client never saw the end, nothing is owed.
        if (/status \d+/.test((e as Error).message)) result.refused.push((e as Error).message);
        else result.cut++;
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
  setTimeout(() => {
    // No request starts after the kill: what is counted as cut was in flight when it came.
    dead = true;
    gw.child.kill('SIGKILL');
  }, killAfterMs);
  await gw.closed;
  await Promise.all(clients);
  return result;
}

async function integrityOfFileLeftByTheKill(): Promise<string> {
  const db = await openSqliteDatabase(join(dataDir, 'journal.db'), { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

/** The markers the journal's search does not find, asked through the gateway's API as a user would. */
async function missingFromJournal(url: string, markers: string[]): Promise<string[]> {
  const missing: string[] = [];
  const queue = [...markers];
  const worker = async () => {
    for (let m = queue.pop(); m !== undefined; m = queue.pop()) {
      const r = await fetch(`${url}/v1/conversations?q=${m}&limit=1`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      assert.equal(r.status, 200, await r.clone().text());
      if (((await r.json()) as { data: unknown[] }).data.length === 0) missing.push(m);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return missing;
}

test(`serve killed with SIGKILL under concurrent traffic, ${ROUNDS} times: every answer the client received is journaled, the file is sound, the gateway restarts and serves`, { timeout: 900_000 }, async () => {
  console.log(`crash-safety seed ${SEED} (replay its choices with CRASH_SEED=${SEED})`);
  const rand = seededRandom(SEED);
  let gw = await startGateway();
  const totals = { ended: 0, cut: 0, refused: 0, killedMidTraffic: 0 };
  const byKind = new Map<string, number>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const killAfterMs = Math.floor(10 + rand() * 400);
      const r = await trafficUntilKilled(gw, round, rand, killAfterMs);
      totals.ended += r.ended.length;
      totals.cut += r.cut;
      totals.refused += r.refused.length;
      if (r.cut > 0) totals.killedMidTraffic++;
      for (const e of r.ended) byKind.set(label(e.kind), (byKind.get(label(e.kind)) ?? 0) + 1);
      assert.deepEqual(r.refused, [], `round ${round} (seed ${SEED}): requests refused`);

      assert.equal(await integrityOfFileLeftByTheKill(), 'ok', `round ${round} (seed ${SEED}): integrity_check after the kill`);

      gw = await startGateway();
      // It serves after the crash; this answer is owed to the journal too.
      const check = { marker: `crash${SEED.toString(36)}r${round}restart`, kind: KINDS[0]! };
      assert.ok(await exchange(gw.url, check.kind, check.marker), `round ${round}: the restarted gateway answers`);
      r.ended.push(check);

      const missing = await missingFromJournal(gw.url, r.ended.map((e) => e.marker));
      const lost = r.ended.filter((e) => missing.includes(e.marker)).map((e) => `${e.marker} (${label(e.kind)})`);
      assert.deepEqual(lost, [], `round ${round} (seed ${SEED}, kill after ${killAfterMs} ms): ${lost.length} of ${r.ended.length} received answers are not in the journal\n${gw.output()}`);
    }
  } finally {
    gw.child.kill('SIGKILL');
    await gw.closed;
  }
  console.log(`crash-safety: ${ROUNDS} kills, ${totals.ended} answers received and all journaled, ${totals.cut} cut by a kill (${totals.killedMidTraffic} rounds killed with requests in flight); by kind ${JSON.stringify(Object.fromEntries(byKind))}`);
  assert.ok(totals.killedMidTraffic >= ROUNDS / 2, 'most kills land while requests are in flight');
  for (const k of KINDS) assert.ok((byKind.get(label(k)) ?? 0) > 0, `some ${label(k)} answers were received`);
});
