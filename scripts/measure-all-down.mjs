#!/usr/bin/env node
/**
 * Issue #4 measurement, "all targets down under steady load": every simulated
 * provider answers 503 while a client sends ~50 requests/s for 25 s (bounded,
 * loopback). After the first 10 s it reports upstream attempts per client
 * request (target <= 1.1), refusal latency p50/p99 (target p99 <= 50 ms), and
 * whether every refusal is informative (names the targets, says when to retry,
 * links the status page) and carries x-should-retry: false and Retry-After.
 *
 *   npm run build && node scripts/measure-all-down.mjs
 */
import { createSim } from '../dist/sim/index.js';
import { simGatewayConfig } from '../dist/sim/gateway-config.js';
import { createGateway } from '../dist/gateway/gateway.js';
import { createLogger } from '../dist/http/logger.js';
import { request } from 'undici';
const sims = { openai: createSim('openai'), anthropic: createSim('anthropic'), gemini: createSim('gemini') };
const o = {}; for (const [k, s] of Object.entries(sims)) o[k] = await s.start();
for (const s of Object.values(sims)) s.faults.set([{ fault: { kind: 'status', status: 503 } }]);
const gw = await createGateway(simGatewayConfig(o, { publicUrl: 'http://gateway.example' }), { logger: createLogger('silent') });
const url = await gw.listen();
const body = JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
const upstream = () => Object.values(sims).reduce((n, s) => n + s.stats.requests, 0);
const lat = []; let reqs = 0, base = 0; const t0 = Date.now(); let informative = true, noRetry = true, retryAfter = true;
while (Date.now() - t0 < 25_000) {          // 25 s at ~50 req/s, bounded
  const t = performance.now();
  const r = await request(url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await r.body.text();
  const ms = performance.now() - t;
  if (Date.now() - t0 >= 10_000) {
    if (reqs === 0) base = upstream();
    reqs++; lat.push(ms);
    if (!/sim-openai/.test(text) || !/sim-gemini/.test(text) || !/Retry after/.test(text) || !/gateway.example\/status/.test(text)) informative = false;
    if (r.headers['x-should-retry'] !== 'false') noRetry = false;
    if (!r.headers['retry-after']) retryAfter = false;
  }
  await new Promise((res) => setTimeout(res, 20));
}
lat.sort((a, b) => a - b);
const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(2);
console.log(`after 10 s: ${reqs} requests, ${upstream() - base} upstream attempts (${((upstream() - base) / reqs).toFixed(3)} per request); refusal latency p50 ${q(0.5)} ms p99 ${q(0.99)} ms; informative=${informative} x-should-retry:false=${noRetry} retry-after=${retryAfter}`);
await gw.close(); for (const s of Object.values(sims)) await s.stop();
