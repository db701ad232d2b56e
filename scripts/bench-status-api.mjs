#!/usr/bin/env node
/**
 * Latency of the status endpoints with 90 days of per-minute history for 20
 * components in SQLite (issue 5 target: <= 50 ms p99). A bench, not a test.
 *
 *   node --import tsx scripts/bench-status-api.mjs [--requests 300] [--concurrency 1] [--components 20] [--days 90]
 *
 * Fills a temporary SQLite store (deterministic synthetic traffic, an outage
 * every ~10 days, some incidents), starts the real gateway on loopback with
 * that store, then requests each endpoint sequentially (or with the given
 * concurrency) and prints p50/p95/p99/max per endpoint.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { createGateway } from '../src/http/server.ts';
import { createLogger } from '../src/http/logger.ts';
import { openHealthStore } from '../src/storage/health-store.ts';
import { fillHistory } from './status/fill-history.mjs';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '1' },
    components: { type: 'string', default: '20' },
    days: { type: 'string', default: '90' },
  },
});
const N = Number(values.requests);
const C = Number(values.concurrency);
const PROVIDERS = ['openai', 'anthropic', 'gemini', 'perplexity'];
const perProvider = Math.ceil(Number(values.components) / PROVIDERS.length);
const components = PROVIDERS.flatMap((p) => Array.from({ length: perProvider }, (_, i) => ({ provider: p, model: `${p}-model-${i}` }))).slice(0, Number(values.components));

const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-status-'));
const now = Date.now();
const DAY = 86_400_000;
try {
  const store = await openHealthStore({ kind: 'sqlite', dir });
  let t = performance.now();
  await fillHistory(store, { components: components.map((c) => `${c.provider}/${c.model}`), days: Number(values.days), now });
  for (let i = 0; i < 30; i++) {
    const startedAt = now - (i * 3 + 1) * DAY;
    const c = components[i % components.length];
    await store.incidents.upsert({
      id: `inc_bench_${i}`, source: 'switchyard', title: `Major outage on ${c.provider}/${c.model}`, components: [`${c.provider}/${c.model}`], provider: c.provider,
      status: 'resolved', impact: 'major_outage', startedAt, resolvedAt: startedAt + 2 * 3_600_000, peakErrorRate: 0.8,
      updates: [
        { at: startedAt, status: 'investigating', state: 'major_outage', message: '80% of 400 requests failed in the last minute.' },
        { at: startedAt + 7_000_000, status: 'resolved', state: 'operational', message: 'Resolved.' },
      ],
    });
  }
  console.log(`filled ${components.length} components x ${values.days} days in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const config = {
    server: { host: '127.0.0.1', port: 0, maxBodyBytes: 1 << 20 },
    providers: PROVIDERS.map((name) => ({ name, type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-test-FAKE', headers: {}, query: {} })),
    models: PROVIDERS.map((p) => ({ name: p, targets: components.filter((c) => c.provider === p) })),
    source: 'bench',
    notes: [],
  };
  const gw = await createGateway(config, { logger: createLogger('silent'), health: { store } });
  const url = await gw.listen();
  const endpoints = ['/status/api/v2/summary.json', '/status/api/v2/components.json', '/status/api/v2/incidents.json', '/status/api/v2/status.json', '/status'];
  for (const path of endpoints) {
    for (let i = 0; i < 20; i++) await (await request(url + path)).body.arrayBuffer(); // warm-up
    const times = [];
    let bytes = 0;
    let next = 0;
    const worker = async () => {
      while (next < N) {
        next++;
        t = performance.now();
        const r = await request(url + path, { headers: { 'accept-encoding': 'gzip' } });
        bytes = (await r.body.arrayBuffer()).byteLength;
        if (r.statusCode !== 200) throw new Error(`${path}: ${r.statusCode}`);
        times.push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: C }, worker));
    times.sort((a, b) => a - b);
    const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
    console.log(`${path.padEnd(32)} n=${N} c=${C}  p50 ${q(0.5)} ms  p95 ${q(0.95)} ms  p99 ${q(0.99)} ms  max ${times.at(-1).toFixed(1)} ms  (${bytes} bytes)`);
  }
  await gw.close();
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
