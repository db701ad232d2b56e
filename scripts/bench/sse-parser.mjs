#!/usr/bin/env node
/**
 * The SSE parser's own cost, without sockets or other processes (so it is steady on a noisy VM):
 * typical streams (27 OpenAI chunks and [DONE]) cut into reads at seeded random boundaries, parsed
 * with pushBatch and classified with skimBatch; and one long one-line event (a streamed image) in
 * 64 KiB reads. Give another built checkout to compare its parser with this one's.
 *
 *   node scripts/bench/sse-parser.mjs [other checkout]      (build first: npm run build)
 */
import { resolve } from 'node:path';

const here = resolve(new URL('../..', import.meta.url).pathname);
const dirs = [here, ...process.argv.slice(2).map((d) => resolve(d))];
const parsers = await Promise.all(dirs.map(async (d) => (await import(`${d}/dist/sse/parser.js`)).SseParser));

const chunk = (i) =>
  `data: {"id":"chatcmpl-x","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"word${i} "},"finish_reason":null}]}\n\n`;
const wire = Buffer.from(Array.from({ length: 27 }, (_, i) => chunk(i)).join('') + 'data: [DONE]\n\n');
let seed = 7;
const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
const streams = Array.from({ length: 200 }, () => {
  const reads = [];
  for (let at = 0; at < wire.length; ) {
    const n = 200 + Math.floor(random() * 3000);
    reads.push(wire.subarray(at, at + n));
    at += n;
  }
  return reads;
});

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
for (let round = 1; round <= 6; round++) {
  // Alternate which goes first: the first to run in a round pays more of the JIT's and GC's start-up.
  const order = round % 2 === 1 ? [...parsers.entries()] : [...parsers.entries()].reverse();
  for (const [k, SseParser] of order) {
    let t0 = process.hrtime.bigint();
    for (let r = 0; r < 50; r++) for (const reads of streams) { const p = new SseParser(); for (const c of reads) p.pushBatch(c); }
    const push = (ms(t0) * 1000) / (50 * streams.length);
    t0 = process.hrtime.bigint();
    for (let r = 0; r < 50; r++) for (const reads of streams) { const p = new SseParser(); for (const c of reads) p.skimBatch(c, () => 'data'); }
    const skim = (ms(t0) * 1000) / (50 * streams.length);
    const big = Buffer.from(`data: "${'A'.repeat(4 * 1048576)}"\n\n`);
    t0 = process.hrtime.bigint();
    const p = new SseParser();
    for (let i = 0; i < big.length; i += 65536) p.push(big.subarray(i, i + 65536));
    console.log(`round ${round} ${dirs[k]}: per stream push ${push.toFixed(2)} µs, skim ${skim.toFixed(2)} µs; a 4 MiB one-line event ${ms(t0).toFixed(1)} ms`);
  }
}
