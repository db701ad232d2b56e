/**
 * Turns raw runs into medians, ratios and added latencies, checks them against issue #2's
 * acceptance figures, and renders markdown. Comparisons are paired within a round (targets
 * ran back to back), then the median is taken across rounds, so drift between rounds
 * (thermal, noisy neighbours) cancels.
 */
import { mkdirSync, writeFileSync } from 'node:fs';

export const TARGETS = ['direct', 'proxy', 'gateway'];

/** Acceptance figures from issue #2 for a 2-core machine. */
export const LIMITS = { throughputRatio: 1.0, addedP50JsonMs: 0.3, addedTtfbStreamMs: 0.5, gatewayPeakRssMb: 150, atRate: 500 };

export function median(xs) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

const get = (o, path) => path.split('.').reduce((x, k) => x?.[k], o);

/**
 * runs: [{ scenario, mode, level, target, round, result }].
 * Returns [{ scenario, mode, level, targets: { direct: {...medians}, ... }, ratio, added: { proxy, gateway } }].
 */
export function summarize(runs) {
  const groups = new Map();
  for (const r of runs) {
    const key = `${r.scenario}|${r.mode}|${r.level}`;
    if (!groups.has(key)) groups.set(key, { scenario: r.scenario, mode: r.mode, level: r.level, byRound: new Map() });
    const g = groups.get(key);
    if (!g.byRound.has(r.round)) g.byRound.set(r.round, {});
    g.byRound.get(r.round)[r.target] = r.result;
  }
  return [...groups.values()].map((g) => {
    const rounds = [...g.byRound.values()];
    const med = (target, path) => median(rounds.map((r) => get(r[target], path)));
    const paired = (fn) => median(rounds.filter((r) => TARGETS.every((t) => r[t])).map(fn));
    const metrics = g.mode === 'closed' ? ['rps', 'latency.p50', 'latency.p99', 'non2xx', 'socketErrors', 'cpuUsPerRequest.server'] : ['achievedRate', 'latency.p50', 'latency.p99', 'ttfb.p50', 'ttfb.p99', 'sendLag.p50', 'failures'];
    const targets = {};
    for (const t of TARGETS) {
      targets[t] = {};
      for (const m of metrics) targets[t][m] = m === 'failures' ? median(rounds.map((r) => failures(r[t]))) : med(t, m);
    }
    const added = {};
    for (const t of ['proxy', 'gateway']) {
      added[t] = {};
      for (const m of ['latency.p50', 'latency.p99', ...(g.mode === 'open' ? ['ttfb.p50', 'ttfb.p99'] : [])]) {
        added[t][m] = paired((r) => get(r[t], m) - get(r.direct, m));
      }
    }
    const rate = g.mode === 'closed' ? 'rps' : 'achievedRate';
    return { scenario: g.scenario, mode: g.mode, level: g.level, rounds: rounds.length, targets, added, ratio: paired((r) => r.gateway[rate] / r.proxy[rate]) };
  });
}

function failures(res) {
  if (!res) return NaN;
  return res.errors + res.badStatus + res.incomplete + res.skipped + res.aborted;
}

/** [{ name, value, limit, unit, pass }] */
export function acceptance(summary, memory) {
  const checks = [];
  for (const scenario of ['json', 'stream']) {
    for (const s of summary.filter((x) => x.scenario === scenario && x.mode === 'closed')) {
      checks.push({ name: `${scenario} throughput gateway/proxy, ${s.level} connections`, value: s.ratio, limit: `>= ${LIMITS.throughputRatio.toFixed(1)}x`, unit: 'x', pass: s.ratio >= LIMITS.throughputRatio });
    }
  }
  const openAt = (scenario) => summary.find((x) => x.scenario === scenario && x.mode === 'open' && x.level === LIMITS.atRate);
  const j = openAt('json');
  if (j) checks.push({ name: `json added p50 latency at ${LIMITS.atRate} req/s`, value: j.added.gateway['latency.p50'], limit: `<= ${LIMITS.addedP50JsonMs} ms`, unit: 'ms', pass: j.added.gateway['latency.p50'] <= LIMITS.addedP50JsonMs });
  const st = openAt('stream');
  if (st) checks.push({ name: `stream added p50 time to first byte at ${LIMITS.atRate} req/s`, value: st.added.gateway['ttfb.p50'], limit: `<= ${LIMITS.addedTtfbStreamMs} ms`, unit: 'ms', pass: st.added.gateway['ttfb.p50'] <= LIMITS.addedTtfbStreamMs });
  if (memory.gateway) checks.push({ name: 'gateway peak RSS', value: memory.gateway.peakRssMb, limit: `<= ${LIMITS.gatewayPeakRssMb} MB`, unit: 'MB', pass: memory.gateway.peakRssMb <= LIMITS.gatewayPeakRssMb });
  return checks;
}

const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const signed = (x, d = 2) => (Number.isFinite(x) ? (x >= 0 ? '+' : '') + x.toFixed(d) : '–');
const TITLES = { json: 'JSON (`stream: false`)', stream: 'Stream (`stream: true`)' };

export function toMarkdown(meta, summary, memory, checks) {
  const L = [];
  L.push(`# Switchyard benchmark — ${meta.date}`, '');
  L.push(`- Wire format: ${meta.format === 'anthropic' ? 'Anthropic Messages (POST /v1/messages, simulated Anthropic upstream)' : 'OpenAI Chat Completions (POST /v1/chat/completions, simulated OpenAI upstream)'}`);
  L.push(`- Machine: ${meta.nproc} CPUs (${meta.cpu}), Node ${meta.node}, gateway ${meta.gatewayVersion}`);
  if (meta.gatewayNodeFlags.length) L.push(`- Gateway process node flags: \`${meta.gatewayNodeFlags.join(' ')}\``);
  if (meta.idleAtStart < 0.8 || Number(meta.loadavg.end.split(' ')[0]) > meta.nproc * 2) {
    L.push('', `> **Warning: the machine was busy with other work during this run (load average above). Absolute numbers and even ratios are unreliable; rerun on a quiet machine.**`, '');
  }
  L.push(`- CPUs idle just before start: ${(meta.idleAtStart * 100).toFixed(0)}%; load average (1/5/15 min) at start ${meta.loadavg.start}, at end ${meta.loadavg.end} — anything else running competes for the same CPUs`);
  L.push(`- Load: ${meta.closedTool} closed loop (1 thread), own open-loop driver (undici, planned send times); each in its own process; loopback`);
  L.push(`- Rounds: ${meta.rounds}, interleaved direct/proxy/gateway (order rotated per round); medians across rounds; added = target minus direct, paired per round`);
  L.push(`- Durations: closed ${meta.closedSeconds} s after ${meta.closedWarmupSeconds} s warm-up; open ${meta.openSeconds} s after ${meta.openWarmupSeconds} s warm-up; latencies in ms`);
  L.push('');
  for (const scenario of ['json', 'stream']) {
    const rows = summary.filter((s) => s.scenario === scenario);
    if (rows.length === 0) continue;
    L.push(`## ${TITLES[scenario]}`, '');
    const closed = rows.filter((s) => s.mode === 'closed');
    if (closed.length) {
      L.push('Closed loop (fixed connections): throughput counts 2xx answers only; latency percentiles (wrk) cover every answer', '');
      L.push('| connections | direct req/s | proxy req/s | gateway req/s | gateway/proxy | p50 direct / proxy / gateway | p99 direct / proxy / gateway | added p50 proxy / gateway | CPU µs/req upstream / proxy / gateway | non-2xx d/p/g | socket errors d/p/g |');
      L.push('|---:|---:|---:|---:|---:|---|---|---|---|---|---|');
      for (const s of closed) {
        const t = s.targets;
        L.push(`| ${s.level} | ${f(t.direct.rps, 0)} | ${f(t.proxy.rps, 0)} | ${f(t.gateway.rps, 0)} | **${f(s.ratio)}x** | ${f(t.direct['latency.p50'])} / ${f(t.proxy['latency.p50'])} / ${f(t.gateway['latency.p50'])} | ${f(t.direct['latency.p99'])} / ${f(t.proxy['latency.p99'])} / ${f(t.gateway['latency.p99'])} | ${signed(s.added.proxy['latency.p50'])} / ${signed(s.added.gateway['latency.p50'])} | ${TARGETS.map((x) => f(t[x]['cpuUsPerRequest.server'], 0)).join(' / ')} | ${TARGETS.map((x) => f(t[x].non2xx, 0)).join(' / ')} | ${TARGETS.map((x) => f(t[x].socketErrors, 0)).join(' / ')} |`);
      }
      L.push('');
    }
    const open = rows.filter((s) => s.mode === 'open');
    if (open.length) {
      L.push('Open loop (fixed arrival rate): latency and time to first byte (TTFB), measured from the planned send time', '');
      L.push('| rate | target | achieved req/s | p50 | p99 | TTFB p50 | TTFB p99 | added p50 | added p99 | added TTFB p50 | failed |');
      L.push('|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
      for (const s of open) {
        for (const tn of TARGETS) {
          const t = s.targets[tn];
          const a = s.added[tn];
          L.push(`| ${s.level} | ${tn} | ${f(t.achievedRate, 0)} | ${f(t['latency.p50'])} | ${f(t['latency.p99'])} | ${f(t['ttfb.p50'])} | ${f(t['ttfb.p99'])} | ${a ? signed(a['latency.p50']) : ''} | ${a ? signed(a['latency.p99']) : ''} | ${a ? signed(a['ttfb.p50']) : ''} | ${f(t.failures, 0)} |`);
        }
      }
      L.push('', `Driver send lag (p50, ms): ${open.map((s) => `${s.level}/s ${f(s.targets.direct['sendLag.p50'])}`).join(', ')} — the same for every target, so it cancels in "added".`, '');
    }
  }
  L.push('## Peak RSS (VmHWM, whole run)', '');
  L.push('| server | peak RSS MB |', '|---|---:|');
  for (const [name, m] of Object.entries(memory)) L.push(`| ${name} | ${f(m.peakRssMb, 1)} |`);
  L.push('', '## Acceptance (issue #2, 2-core machine)', '');
  L.push('| check | measured | limit | result |', '|---|---:|---|---|');
  for (const c of checks) L.push(`| ${c.name} | ${f(c.value)} ${c.unit} | ${c.limit} | ${c.pass ? 'PASS' : '**FAIL**'} |`);
  L.push('');
  return L.join('\n');
}

/** Write bench-results/<stamp>.md and .json; returns the paths. */
export function writeResults(dir, stamp, markdown, json) {
  mkdirSync(dir, { recursive: true });
  const base = `${dir}/${stamp}`;
  writeFileSync(`${base}.md`, markdown);
  writeFileSync(`${base}.json`, JSON.stringify(json, null, 2));
  return [`${base}.md`, `${base}.json`];
}
