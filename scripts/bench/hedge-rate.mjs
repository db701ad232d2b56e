#!/usr/bin/env node
/**
 * Should hedging be on by default (issue #24 item 2)? Streams through the gateway (the
 * built dist/) to three simulated providers whose times to first token vary as real ones do
 * (log-normal around 300 ms, a long tail), with hedging off and on, healthy and with 2% of the
 * primary's requests stalling before their first byte. Reports, per run, the share of requests
 * that were hedged (more than one attempt), extra upstream requests, and the time to first byte
 * the client saw (p50, p99, max).
 *
 *   npm run build && node scripts/bench/hedge-rate.mjs [--requests 2000] [--concurrency 16]
 */
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { createSim } from '../../dist/sim/index.js';
import { simGatewayConfig } from '../../dist/sim/gateway-config.js';
import { createGateway } from '../../dist/gateway/gateway.js';
import { createLogger } from '../../dist/http/logger.js';
import { policyWith } from '../../dist/routing/policy.js';
import { seededRandom } from '../../dist/core/random.js';

const { values: args } = parseArgs({ options: { requests: { type: 'string', default: '2000' }, concurrency: { type: 'string', default: '16' } } });
const N = Number(args.requests);
const C = Number(args.concurrency);

/** Log-normal time to first token: median 300 ms, sigma 0.35 (p99 ~ 680 ms). */
function ttftDraw(random) {
  const u = Math.max(1e-12, random());
  const v = random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.round(300 * Math.exp(0.35 * z));
}

async function run(label, { hedge, stallShare }) {
  const random = seededRandom(42);
  const decide = (primary) => () => {
    if (primary && random() < stallShare) return { fault: { kind: 'stall-before-first-byte' } };
    return { ttftMs: ttftDraw(random), chunkDelayMs: 5 };
  };
  const sims = { openai: createSim('openai', { decide: decide(true) }), anthropic: createSim('anthropic', { decide: decide(false) }), gemini: createSim('gemini', { decide: decide(false) }) };
  const origins = {};
  for (const [k, s] of Object.entries(sims)) origins[k] = await s.start();
  const base = simGatewayConfig(origins);
  const policy = policyWith({ hedge });
  const config = { ...base, models: base.models.filter((m) => m.name === 'chat').map((m) => ({ ...m, policy })) };
  const gw = await createGateway(config, { logger: createLogger('silent') });
  const url = await gw.listen();
  const body = JSON.stringify({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'Hello, reply with 20 words' }] });
  const ttfb = [];
  let hedged = 0;
  let failed = 0;
  let next = 0;
  const t0 = Date.now();
  async function worker() {
    while (next < N) {
      next++;
      const start = performance.now();
      try {
        const res = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-stainless-timeout': '60' }, body });
        let first = true;
        for await (const chunk of res.body) {
          if (first && chunk.length > 0) {
            ttfb.push(performance.now() - start);
            first = false;
          }
        }
        if (res.statusCode !== 200) failed++;
        if (Number(res.headers['x-switchyard-attempts'] ?? 1) > 1) hedged++;
      } catch {
        failed++;
      }
    }
  }
  await Promise.all(Array.from({ length: C }, worker));
  const seconds = (Date.now() - t0) / 1000;
  const upstream = Object.values(sims).reduce((n, s) => n + s.stats.requests, 0);
  await gw.close();
  await Promise.all(Object.values(sims).map((s) => s.stop()));
  ttfb.sort((a, b) => a - b);
  const q = (p) => Math.round(ttfb[Math.min(ttfb.length - 1, Math.floor(p * ttfb.length))]);
  console.log(
    `${label.padEnd(30)} hedged ${((100 * hedged) / N).toFixed(2).padStart(5)}%  upstream/request ${(upstream / N).toFixed(3)}  failed ${failed}  ` +
      `TTFB p50 ${q(0.5)} ms  p99 ${q(0.99)} ms  max ${Math.round(ttfb.at(-1))} ms  (${seconds.toFixed(0)} s)`,
  );
}

console.log(`${N} streamed requests, ${C} at a time, per run; TTFT log-normal (median 300 ms); ${new Date().toISOString().slice(0, 10)}`);
await run('healthy, hedging off', { hedge: false, stallShare: 0 });
await run('healthy, hedging on', { hedge: true, stallShare: 0 });
await run('2% stalls, hedging off', { hedge: false, stallShare: 0.02 });
await run('2% stalls, hedging on', { hedge: true, stallShare: 0.02 });
