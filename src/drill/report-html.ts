/**
 * The drill report as one self-contained HTML page: the status page's stylesheet and chart
 * frame, inline SVG, no script, nothing loaded from anywhere (it is read after an incident,
 * attached to a ticket, opened from a CI artifact). Two reports (`--compare`) sit side by side.
 * Every string from the scenario or the configuration is escaped.
 */
import { escapeHtml } from '../web/status/escape.js';
import { formatMs, formatPct } from '../web/status/format.js';
import { STYLES } from '../web/status/styles.js';
import { amplificationChart, loadCharts, servedByChart, successChart, ttftChart } from './report-charts.js';
import type { DrillReport, PassStats, Percentiles } from './report-types.js';
import { formatAt, formatSpan } from './scenario-time.js';

const DRILL_STYLES = `
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem;margin:1rem 0}
.card{border:1px solid var(--border);border-radius:.5rem;padding:.75rem 1rem;background:var(--card)}
.card .big{font-size:1.6rem;font-weight:700;display:block}.card .what{color:var(--muted);font-size:.9rem}
.good{color:var(--ok)}.bad{color:var(--major)}
table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0 1rem}
th,td{border-bottom:1px solid var(--border);padding:.3rem .4rem;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}thead th{color:var(--muted);font-weight:600}
.scroll{overflow-x:auto}
.drill-chart{margin:.5rem 0 1rem}
.phase-strip{position:relative;height:1.1rem;margin-left:2.1rem;font-size:.7rem;color:var(--muted)}
.phase-strip span{position:absolute;top:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;padding-left:2px;border-left:1px solid var(--grid)}
.chart .band.b0{fill:var(--card)}.chart .band.b1{fill:none}
.chart path.gw{fill:none;stroke:var(--p50);stroke-width:2;stroke-linejoin:round}
.chart path.base{fill:none;stroke:var(--major);stroke-width:2;stroke-dasharray:5 3;stroke-linejoin:round}
.chart path.cap{fill:none;stroke:var(--muted);stroke-width:2;stroke-dasharray:2 3}
.line.gw{border-top:2px solid var(--p50)}.line.base{border-top:2px dashed var(--major)}.line.cap{border-top:2px dotted var(--muted)}
.line.p50{border-top:2px solid var(--p50)}
.compare{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,34rem),1fr));gap:1.5rem}
.assumptions li{margin:.25rem 0}
code{font-size:.9em}
`.replace(/\n/g, '');

const pct = (s: PassStats | undefined) => (s ? formatPct(s.successRate * 100, s.successRate < 1 && s.successRate >= 0.99 ? 2 : 1) : '–');
const ms = (v: number | null | undefined) => (v === null || v === undefined ? '–' : formatMs(v));
const pair = (p: Percentiles | undefined) => (p ? `${ms(p.p50)} / ${ms(p.p95)}` : '–');

function cards(r: DrillReport): string {
  const o = r.overall;
  const detected = r.incidents.filter((i) => i.detectionDelayMs !== undefined).map((i) => i.detectionDelayMs!);
  const card = (big: string, what: string, cls = '') => `<div class="card"><span class="big ${cls}">${big}</span><span class="what">${what}</span></div>`;
  return (
    '<div class="cards">' +
    card(pct(o.gateway), 'of requests succeeded through the gateway', o.gateway.successRate >= (o.baseline?.successRate ?? 0) ? 'good' : 'bad') +
    (o.baseline ? card(pct(o.baseline), 'without it (each model’s first provider, SDK retries)') : '') +
    card(o.gateway.attemptsPerRequest.toFixed(2), `upstream requests per client request${o.baseline ? ` (${o.baseline.attemptsPerRequest.toFixed(2)} without it)` : ''}`) +
    card(String(r.incidents.length), detected.length > 0 ? `incidents opened, the first ${formatSpan(Math.min(...detected))} after its failure began` : 'incidents opened by the gateway’s health tracking') +
    '</div>'
  );
}

function phaseTable(r: DrillReport): string {
  const head = ['phase', 'from', 'requests', 'success', 'no gateway', 'first token p50 / p95', 'no gateway', 'answer p95', 'upstream / request', 'no gateway', 'failovers', 'resumed', 'shed', 'queued (peak)'];
  const row = (name: string, from: string, g: PassStats, b: PassStats | undefined, queued: string) =>
    `<tr><td>${escapeHtml(name)}</td><td>${from}</td><td>${g.requests}</td><td>${pct(g)}</td><td>${pct(b)}</td><td>${pair(g.ttft)}</td><td>${pair(b?.ttft)}</td><td>${ms(g.total.p95)}</td>` +
    `<td>${g.attemptsPerRequest.toFixed(2)}</td><td>${b ? b.attemptsPerRequest.toFixed(2) : '–'}</td><td>${g.failovers}</td><td>${g.resumed}</td><td>${g.shed}</td><td>${queued}</td></tr>`;
  const body = r.phases.map((p) => row(p.name, formatAt(p.start, r.scenario.start), p.gateway, p.baseline, String(p.queuedPeak))).join('');
  const total = row('whole scenario', '', r.overall.gateway, r.overall.baseline, '');
  return `<div class="scroll"><table class="phases"><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${body}</tbody><tfoot>${total}</tfoot></table></div>`;
}

function loadTable(r: DrillReport): string {
  const head = `<tr><th scope="col">provider</th>${r.phases.map((p) => `<th scope="col">${escapeHtml(p.name)}</th>`).join('')}<th scope="col">over capacity</th></tr>`;
  const rows = r.config.providers
    .map((c) => {
      const cells = r.phases.map((p) => {
        const x = p.providers.find((q) => q.provider === c.name);
        if (!x) return '<td>–</td>';
        const over = x.capacity !== undefined && x.peakLoad > x.capacity;
        return `<td class="${over ? 'bad' : ''}">${x.peakLoad}${x.capacity !== undefined ? ` / ${x.capacity}` : ''}</td>`;
      });
      const over = r.phases.reduce((n, p) => n + (p.providers.find((q) => q.provider === c.name)?.overCapacity ?? 0), 0);
      return `<tr><td>${escapeHtml(c.name)}</td>${cells.join('')}<td>${over}</td></tr>`;
    })
    .join('');
  return `<div class="scroll"><table class="load"><thead>${head}</thead><tbody>${rows}</tbody></table></div>`;
}

function incidents(r: DrillReport): string {
  if (r.incidents.length === 0) return '<p class="none">The gateway’s health tracking opened no incident.</p>';
  const items = r.incidents.map((i) => {
    const delay = i.detectionDelayMs === undefined ? '' : `, ${formatSpan(i.detectionDelayMs)} after the failure began`;
    const end = i.resolvedAt === undefined ? 'not resolved by the end of the scenario' : `resolved ${formatAt(i.resolvedAt, r.scenario.start)}`;
    return `<li><strong>${escapeHtml(i.title)}</strong>: opened ${formatAt(i.openedAt, r.scenario.start)} (${escapeHtml(i.phase)})${delay}; ${end}.</li>`;
  });
  return `<ul class="incident-list">${items.join('')}</ul>`;
}

function failures(r: DrillReport): string {
  const list = (s: PassStats) => (s.failures.length === 0 ? 'none' : s.failures.slice(0, 6).map((f) => `${escapeHtml(f.reason)} ×${f.count}`).join(', '));
  return `<p>Through the gateway: ${list(r.overall.gateway)}.${r.overall.baseline ? ` Without it: ${list(r.overall.baseline)}.` : ''}</p>`;
}

function configuration(r: DrillReport): string {
  const rows = r.config.providers
    .map((p) => `<tr><td>${escapeHtml(p.name)}</td><td>${escapeHtml(p.type)}</td><td>${escapeHtml(p.models.join(', '))}</td><td>${escapeHtml(p.playedBy)}</td><td>${escapeHtml(p.baselineClient ?? '–')}</td></tr>`)
    .join('');
  return `<p>From ${escapeHtml(r.config.source)}; requests to ${escapeHtml(r.config.aliases.join(', '))}.</p><div class="scroll"><table><thead><tr><th scope="col">provider</th><th scope="col">type</th><th scope="col">models</th><th scope="col">played by</th><th scope="col">client without the gateway</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** One report's content (everything but the page around it). */
export function renderReportBody(r: DrillReport, heading = 'h2'): string {
  const s = r.scenario;
  const h = (id: string, text: string) => `<${heading} id="${id}">${text}</${heading}>`;
  const id = (x: string) => `${x}-${escapeHtml(r.config.source).replace(/[^A-Za-z0-9]+/g, '-')}`;
  return [
    `<p class="updated">${escapeHtml(s.source ?? '')} · ${formatSpan(s.end - s.start)} of scenario time (${new Date(s.start).toISOString().slice(0, 16).replace('T', ' ')} UTC on) replayed in ${Math.round(r.run.wallMs / 1000)} s at ${Math.round(r.run.speed)}x; latencies are scenario time, good to about ${formatMs(r.run.tickScenarioMs)} · seed ${s.seed} · ${r.run.requests} requests</p>`,
    cards(r),
    r.run.baselineSkipped ? `<p class="notice">No run without the gateway: ${escapeHtml(r.run.baselineSkipped)}.</p>` : '',
    h(id('success'), 'Success over time'),
    successChart(r),
    h(id('phases'), 'By phase'),
    phaseTable(r),
    h(id('latency'), 'Time to first token'),
    ttftChart(r),
    h(id('amplification'), 'Amplification'),
    amplificationChart(r),
    h(id('served'), 'Where the answers came from'),
    servedByChart(r),
    h(id('load'), 'Load against capacity'),
    loadCharts(r),
    loadTable(r),
    h(id('incidents'), 'Incidents'),
    incidents(r),
    h(id('failures'), 'Why requests failed'),
    failures(r),
    h(id('config'), 'Configuration'),
    configuration(r),
    h(id('assumptions'), 'What the scenario assumes'),
    s.assumptions.length === 0 ? '<p class="none">Nothing beyond the published facts.</p>' : `<ul class="assumptions">${s.assumptions.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul>`,
  ].join('');
}

export function renderHtml(reports: DrillReport[]): string {
  const first = reports[0]!;
  const title = `Outage drill: ${first.scenario.title}`;
  const body =
    reports.length === 1
      ? renderReportBody(first)
      : `<div class="compare">${reports.map((r) => `<section><h2>${escapeHtml(r.config.source)}</h2>${renderReportBody(r, 'h3')}</section>`).join('')}</div>`;
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title><link rel="icon" href="data:,"><style>${STYLES}${DRILL_STYLES}</style></head><body><div class="wrap">` +
    `<header class="top"><h1>${escapeHtml(title)}</h1></header><main>${body}</main>` +
    `<footer><p>Replay it: <code>switchyard drill ${escapeHtml(first.scenario.name)}${reports.length > 1 ? ' --compare A.yaml B.yaml' : ' --config your.yaml'}</code>. Times are UTC, in scenario time. Made by Switchyard’s outage drill from simulated providers; no real provider was called.</p></footer>` +
    '</div></body></html>'
  );
}
