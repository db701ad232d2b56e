/**
 * Open-loop load driver, run as its own process (fork; result over IPC).
 * Every send time is planned up front (start + i/rate), so a slow answer never delays the
 * next request (no coordinated omission); latency and time to first byte are measured from
 * the PLANNED send time with process.hrtime, so the driver's own lateness and any client-side
 * queueing count against the server, as they would for a real client. Bounded in count
 * (rate × duration) and time (duration + drain); then it aborts what is left and reports.
 *
 * Input (argv[2], JSON): { url, path, body, rate, warmupMs, durationMs, drainMs, maxInflight, connections, stream, streamEnd, classes }
 * (streamEnd: the text a complete stream ends with, default '[DONE]'; Anthropic streams end with message_stop;
 * classes: optional [{ name, headers }], request i is sent as class i mod n with its extra headers, and the
 * report adds per class the answered and the refused (any other status) with their latencies)
 */
import { Pool } from 'undici';

const opt = JSON.parse(process.argv[2]);
const { rate, warmupMs, durationMs, drainMs = 5000, maxInflight = 4096, connections = 128 } = opt;
const NS_PER_REQ = 1e9 / rate;
const total = Math.round((rate * (warmupMs + durationMs)) / 1000);
const warmCount = Math.round((rate * warmupMs) / 1000);

// A bounded pool, like a real client's: far more connections than the planned rate needs
// (opened lazily), yet no flood of new connections when a server falls behind — that would
// overflow the listen backlog and measure SYN retransmits (1 s) instead of the server.
// Requests beyond it wait in the pool's queue, and that wait counts (latency is from the plan).
const streamEnd = opt.streamEnd ?? '[DONE]';
const pool = new Pool(opt.url, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
const body = Buffer.from(opt.body);
const headers = { 'content-type': 'application/json', 'content-length': String(body.length), authorization: 'Bearer sk-bench-FAKE' };
const classes = (opt.classes ?? []).map((c) => ({ name: c.name, headers: { ...headers, ...c.headers }, ok: [], refused: [], statuses: {} }));

const m = total - warmCount;
const lat = new Float64Array(m);
const ttfb = new Float64Array(m);
const lag = new Float64Array(m);
let okCount = 0;
let errors = 0;
let badStatus = 0;
let incomplete = 0;
let skipped = 0;
let aborted = 0;
let lagCount = 0;
let inflight = 0;
let done = 0;
const controllers = new Set();
const DRAIN_TIMEOUT = new Error('drain timeout: no answer within drainMs after the last send');
const t0 = process.hrtime.bigint() + 20_000_000n; // first send 20 ms from now

const nowNs = () => Number(process.hrtime.bigint() - t0);

function send(i) {
  const planned = i * NS_PER_REQ;
  const measured = i >= warmCount;
  if (inflight >= maxInflight) {
    // Over the cap the server is not keeping up; count it and move on rather than grow without bound.
    if (measured) skipped++;
    done++;
    return;
  }
  inflight++;
  if (measured) lag[lagCount++] = (nowNs() - planned) / 1e6;
  let first = -1;
  let status = 0;
  let tail = '';
  let ctl;
  const cls = classes.length > 0 ? classes[i % classes.length] : undefined;
  const finish = (ok) => {
    inflight--;
    done++;
    controllers.delete(ctl);
    if (!measured) return;
    if (cls && status !== 0) {
      const ms = (nowNs() - planned) / 1e6;
      cls.statuses[status] = (cls.statuses[status] ?? 0) + 1;
      if (ok) cls.ok.push(ms);
      else if (status !== 200) cls.refused.push(ms);
    }
    if (!ok) return;
    const end = (nowNs() - planned) / 1e6;
    lat[okCount] = end;
    ttfb[okCount] = first < 0 ? end : first;
    okCount++;
  };
  pool.dispatch(
    { path: opt.path, method: 'POST', headers: cls ? cls.headers : headers, body },
    {
      onRequestStart(controller) {
        ctl = controller;
        controllers.add(controller);
      },
      onResponseStart(_c, statusCode) {
        status = statusCode;
      },
      onResponseData(_c, chunk) {
        if (first < 0) first = (nowNs() - planned) / 1e6;
        // Keep only the tail: enough to see a stream's proper end.
        if (opt.stream) tail = (tail + chunk.toString('latin1')).slice(-32);
      },
      onResponseEnd() {
        if (status !== 200) {
          if (measured) badStatus++;
          return finish(false);
        }
        if (opt.stream && !tail.includes(streamEnd)) {
          if (measured) incomplete++;
          return finish(false);
        }
        finish(true);
      },
      onResponseError(_c, err) {
        if (measured) {
          if (err === DRAIN_TIMEOUT || err?.code === 'UND_ERR_DESTROYED') aborted++;
          else errors++;
        }
        finish(false);
      },
    },
  );
}

let next = 0;
// A 1 ms tick sends everything that is due: timers cost far less CPU than spinning on a
// 2-core box, and the lateness (≤ ~1 ms) is identical for every target and measured (lag).
const tick = setInterval(() => {
  const now = nowNs();
  while (next < total && next * NS_PER_REQ <= now) send(next++);
  if (next >= total) {
    clearInterval(tick);
    drain();
  }
}, 1);

function drain() {
  const sentAt = nowNs();
  const deadline = setTimeout(() => {
    // Abort what is running, then destroy the pool so requests still queued in it fail too.
    for (const c of controllers) c.abort(DRAIN_TIMEOUT);
    pool.destroy(DRAIN_TIMEOUT).catch(() => {});
  }, drainMs);
  const check = setInterval(() => {
    if (done < total) return;
    clearInterval(check);
    clearTimeout(deadline);
    report((sentAt - warmupMs * 1e6) / 1e6);
  }, 5);
}

function pct(arr, n, p) {
  if (n === 0) return NaN;
  const s = arr.subarray(0, n).slice().sort();
  return s[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)];
}

async function report(sendWindowMs) {
  const result = {
    rate,
    planned: m,
    ok: okCount,
    errors,
    badStatus,
    incomplete,
    skipped,
    aborted,
    achievedRate: (okCount / sendWindowMs) * 1000,
    latency: { p50: pct(lat, okCount, 50), p90: pct(lat, okCount, 90), p99: pct(lat, okCount, 99), max: pct(lat, okCount, 100) },
    ttfb: { p50: pct(ttfb, okCount, 50), p99: pct(ttfb, okCount, 99) },
    sendLag: { p50: pct(lag, lagCount, 50), p99: pct(lag, lagCount, 99) },
  };
  if (classes.length > 0) {
    const q = (xs, p) => pct(Float64Array.from(xs), xs.length, p);
    result.classes = Object.fromEntries(
      classes.map((c) => [
        c.name,
        { ok: c.ok.length, refused: c.refused.length, statuses: c.statuses, latency: { p50: q(c.ok, 50), p99: q(c.ok, 99) }, refusal: { p50: q(c.refused, 50), p99: q(c.refused, 99) } },
      ]),
    );
  }
  await pool.destroy().catch(() => {});
  process.send(result, () => process.exit(0));
}
