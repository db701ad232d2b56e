/**
 * The terminal summary of a drill: one table of phases (gateway beside baseline), the
 * providers' peak load against capacity, the incidents the gateway opened, the main failure
 * reasons and the scenario's assumptions. Success rates are floored, never rounded up to
 * 100% (the status page's rule, web/status/format.ts).
 */
import { formatMs, formatPct } from '../web/status/format.js';
import type { DrillReport, PassStats, Percentiles } from './report-types.js';
import { formatAt, formatSpan } from './scenario-time.js';

function table(rows: string[][], right: Set<number>): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n');
}

const pct = (s: PassStats | undefined) => (s ? formatPct(s.successRate * 100, s.successRate < 1 && s.successRate >= 0.99 ? 2 : 1) : '-');
const ms = (v: number | null) => (v === null ? '-' : formatMs(v));
const pair = (p: Percentiles | undefined) => (p ? `${ms(p.p50)} / ${ms(p.p95)}` : '-');
const amp = (s: PassStats | undefined) => (s ? s.attemptsPerRequest.toFixed(2) : '-');

export function renderText(r: DrillReport): string {
  const out: string[] = [];
  const s = r.scenario;
  out.push(`Drill ${s.name}: ${s.title}`);
  out.push(
    `Configuration: ${r.config.source}; models ${r.config.aliases.join(', ')}. ${formatSpan(s.end - s.start)} of scenario time replayed in ${(r.run.wallMs / 1000).toFixed(0)} s ` +
      `(${Math.round(r.run.speed)}x; latencies in scenario time, good to about ${formatMs(r.run.tickScenarioMs)}).`,
  );
  out.push('');
  const rows = [['phase', 'from', 'requests', 'success', 'no gateway', 'first token p50 / p95', 'no gateway', 'answer p95', 'no gateway']];
  const work = [['phase', 'upstream/req', 'no gateway', 'failovers', 'resumed', 'shed', 'queued']];
  const add = (name: string, from: string, g: PassStats, b: PassStats | undefined, queued: string) => {
    rows.push([name, from, String(g.requests), pct(g), pct(b), pair(g.ttft), pair(b?.ttft), ms(g.total.p95), b ? ms(b.total.p95) : '-']);
    work.push([name, amp(g), amp(b), String(g.failovers), String(g.resumed), String(g.shed), queued]);
  };
  for (const p of r.phases) add(p.name, formatAt(p.start, s.start), p.gateway, p.baseline, String(p.queuedPeak));
  add('overall', '', r.overall.gateway, r.overall.baseline, '');
  const o = r.overall;
  out.push(table(rows, new Set([2, 3, 4, 7, 8])), '', table(work, new Set([1, 2, 3, 4, 5, 6])));
  out.push('', r.run.baselineSkipped ? `No run without the gateway: ${r.run.baselineSkipped}.` : '"no gateway": the same requests sent by the application itself to each model\'s first provider with its SDK\'s default retries.');

  out.push('', 'Peak load / capacity per provider (everyone\'s concurrent requests; the gateway pass):');
  const loadRows = [['provider', ...r.phases.map((p) => p.name), 'over capacity']];
  for (const c of r.config.providers) {
    const cells = r.phases.map((p) => {
      const x = p.providers.find((q) => q.provider === c.name);
      return x ? `${x.peakLoad}${x.capacity !== undefined ? ` / ${x.capacity}` : ''}${x.capacity !== undefined && x.peakLoad > x.capacity ? ' !' : ''}` : '-';
    });
    const over = r.phases.reduce((n, p) => n + (p.providers.find((q) => q.provider === c.name)?.overCapacity ?? 0), 0);
    loadRows.push([c.name, ...cells, String(over)]);
  }
  out.push(table(loadRows, new Set(r.phases.map((_, i) => i + 1).concat(r.phases.length + 1))));

  out.push('', r.incidents.length === 0 ? 'Incidents: the gateway opened none.' : 'Incidents the gateway opened:');
  for (const i of r.incidents) {
    const delay = i.detectionDelayMs === undefined ? '' : `, ${formatSpan(i.detectionDelayMs)} after the failure began`;
    const resolved = i.resolvedAt === undefined ? 'not resolved by the end' : `resolved ${formatAt(i.resolvedAt, s.start)}`;
    out.push(`  ${i.title}: opened ${formatAt(i.openedAt, s.start)} (${i.phase})${delay}; ${resolved}`);
  }

  const reasons = o.gateway.failures.slice(0, 5);
  out.push('', reasons.length === 0 ? 'Failed requests through the gateway: none.' : `Failed requests through the gateway (${o.gateway.requests - o.gateway.ok}): ${reasons.map((f) => `${f.reason} x${f.count}`).join(', ')}`);
  if (o.baseline && o.baseline.failures.length > 0) out.push(`Without the gateway (${o.baseline.requests - o.baseline.ok}): ${o.baseline.failures.slice(0, 5).map((f) => `${f.reason} x${f.count}`).join(', ')}`);

  if (s.assumptions.length > 0) out.push('', 'The scenario assumes (nothing was published about these):', ...s.assumptions.map((a) => `  - ${a}`));
  return `${out.join('\n')}\n`;
}

/** Two configurations side by side: one row per phase, then each one's incidents and loads. */
export function renderCompareText(reports: DrillReport[]): string {
  const first = reports[0]!;
  const s = first.scenario;
  const names = reports.map((r, i) => `${String.fromCharCode(65 + i)}`);
  const out = [`Drill ${s.name}: ${s.title}`, ...reports.map((r, i) => `  ${names[i]}: ${r.config.source}`), ''];
  const head = ['phase', 'from', 'requests', ...names.map((n) => `success ${n}`), 'no gateway', ...names.map((n) => `first token ${n}`), ...names.map((n) => `upstream/req ${n}`), ...names.map((n) => `shed ${n}`)];
  const rows = [head];
  const cells = (pick: (r: DrillReport) => PassStats, k: number | undefined) => [
    ...reports.map((r) => pct(pick(r))),
    pct(k === undefined ? first.overall.baseline : first.phases[k]!.baseline),
    ...reports.map((r) => pair(pick(r).ttft)),
    ...reports.map((r) => amp(pick(r))),
    ...reports.map((r) => String(pick(r).shed)),
  ];
  first.phases.forEach((p, k) => rows.push([p.name, formatAt(p.start, s.start), String(p.gateway.requests), ...cells((r) => r.phases[k]!.gateway, k)]));
  rows.push(['overall', '', String(first.overall.gateway.requests), ...cells((r) => r.overall.gateway, undefined)]);
  out.push(table(rows, new Set(rows[0]!.map((_, i) => i).filter((i) => i >= 2))));
  out.push('', '"no gateway": the first configuration\'s models called directly with their SDKs\' default retries.');
  reports.forEach((r, i) => {
    out.push('', `${names[i]} (${r.config.source}):`);
    const peaks = r.config.providers.map((c) => {
      const peak = Math.max(...r.phases.map((p) => p.providers.find((q) => q.provider === c.name)?.peakLoad ?? 0));
      const cap = Math.min(...r.phases.map((p) => p.providers.find((q) => q.provider === c.name)?.capacity ?? Infinity));
      return `${c.name} ${peak}${Number.isFinite(cap) ? ` / ${cap}` : ''}`;
    });
    out.push(`  peak load: ${peaks.join(', ')}`);
    out.push(`  incidents: ${r.incidents.length === 0 ? 'none' : r.incidents.map((x) => `${x.title} at ${formatAt(x.openedAt, s.start)}`).join('; ')}`);
  });
  if (s.assumptions.length > 0) out.push('', 'The scenario assumes (nothing was published about these):', ...s.assumptions.map((a) => `  - ${a}`));
  return `${out.join('\n')}\n`;
}
