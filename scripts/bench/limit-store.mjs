#!/usr/bin/env node
/**
 * The LimitStore alone, without HTTP (issue #27): N requests, `--concurrency` at a time, each a
 * reserve against one key with all four limits, then a settle on the next turn (as the gateway
 * does when a response ends). Reports this process's CPU µs per request and, with Redis, the
 * redis-server's (read from /proc, so run it on a Redis nobody else is using for a clean figure).
 *
 *   node scripts/bench/limit-store.mjs                                   memory
 *   node scripts/bench/limit-store.mjs --redis redis://127.0.0.1:6390    Redis (a private server: redis-server --port 6390 --save '')
 *   node scripts/bench/limit-store.mjs --redis ... --dist /tmp/old/dist  another build's store
 *
 * Uses the built dist/ (npm run build). Keys go under a unique prefix, deleted at the end.
 */
import { execFileSync } from 'node:child_process';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { cpuTimeMs } from './processes.mjs';

const { values: args } = parseArgs({
  options: {
    redis: { type: 'string' },
    dist: { type: 'string', default: new URL('../../dist', import.meta.url).pathname },
    requests: { type: 'string', default: '40000' },
    concurrency: { type: 'string', default: '32' },
  },
});
const { openLimitStore } = await import(`${args.dist}/storage/open-limit-store.js`);
const prefix = `bench-limits-${process.pid}-${Date.now()}:`;
const store = await openLimitStore(args.redis ? { kind: 'redis', url: args.redis, keyPrefix: prefix } : { kind: 'memory' });
const port = args.redis ? new URL(args.redis).port || '6379' : undefined;
const redisPid = port ? Number(execFileSync('pgrep', ['-f', `redis-server .*:${port}`]).toString().split('\n')[0]) : undefined;
const rules = [{ subject: 'key:bench', requestsPerMinute: 1_000_000, tokensPerMinute: 1_000_000_000, concurrentRequests: 10_000, budget: { micros: 1e12, period: 'day' } }];

async function run(total) {
  let n = 0;
  const client = async () => {
    while (n < total) {
      const id = `r${n++}`;
      const now = Date.now();
      const r = await store.reserve({ id, now, rules, tokens: 30, costMicros: 100, leaseMs: 600_000 });
      if (!r.admitted) throw new Error(`refused: ${JSON.stringify(r.refusedBy)}`);
      await nextTurn();
      void store.settle({ id, now: Date.now(), reservedAt: now, rules, tokensDelta: -5, costDeltaMicros: -10 });
    }
  };
  await Promise.all(Array.from({ length: Number(args.concurrency) }, client));
}

await run(2_000);
const total = Number(args.requests);
const cpu0 = process.cpuUsage();
const redis0 = redisPid ? cpuTimeMs(redisPid) : 0;
const t0 = performance.now();
await run(total);
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const redisUs = redisPid ? ((cpuTimeMs(redisPid) - redis0) * 1000) / total : 0;
await store.close();
if (args.redis) {
  const { Redis } = await import('ioredis');
  const c = new Redis(args.redis);
  const keys = await c.keys(`${prefix}*`);
  if (keys.length > 0) await c.del(...keys);
  c.disconnect();
}
process.stdout.write(`${args.redis ? 'redis' : 'memory'}: ${((cpu.user + cpu.system) / total).toFixed(1)} µs CPU per request here${redisPid ? `, ${redisUs.toFixed(1)} µs in redis-server` : ''}, ${(total / seconds).toFixed(0)} requests/s\n`);
