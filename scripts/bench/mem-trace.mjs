/**
 * BENCH_MEM_TRACE=<file>: every 200 ms, one JSON line of this process's memory (RSS, V8 heap spaces,
 * external, array buffers), to see which part of the memory a load drives. `%k` in the file name
 * becomes BENCH_MEM_KIND (proxy or gateway). Loaded with `node --import` into the gateway (which runs
 * as `switchyard serve`) and imported by the proxy's bench child.
 */
import { appendFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';

const target = process.env.BENCH_MEM_TRACE;
if (target) {
  const file = target.replace('%k', process.env.BENCH_MEM_KIND ?? String(process.pid));
  const mb = (n) => Math.round(n / 1048576);
  setInterval(() => {
    const m = process.memoryUsage();
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name.replace(/_space$/, ''), mb(s.space_size)]));
    appendFileSync(file, JSON.stringify({ t: Date.now(), rss: mb(m.rss), heapTotal: mb(m.heapTotal), heapUsed: mb(m.heapUsed), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers), spaces }) + '\n');
  }, 200).unref();
}
