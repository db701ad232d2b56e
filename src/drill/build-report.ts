/**
 * A finished drill -> its report: per phase and overall, for the gateway and the baseline,
 * success, latency percentiles, amplification, failovers, resumes, shed and queued requests,
 * each provider's peak load against its capacity, the incidents the gateway opened and how
 * long after the failure began, and time series for the charts. Requests belong to the phase
 * their client sent them in; upstream attempts to the phase they arrived in.
 */
import type { ClientResult } from './client-result.js';
import { entryFor, modelsOf, primaryOf, vendorOf } from './provider-map.js';
import type { DrillRun, PassData } from './run-drill.js';
import type { DrillReport, IncidentReport, PassStats, Percentiles, PhaseReport, ProviderPhaseStats, SeriesPoint } from './report-types.js';
import { failingSince, phaseIndexAt } from './timeline.js';

const SERIES_POINTS = 120;

export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { p50: null, p95: null, p99: null };
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number) => v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))]!;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

export function passStats(ids: readonly number[], pass: PassData, gateway: boolean): PassStats {
  let ok = 0;
  let upstream = 0;
  let failovers = 0;
  let resumed = 0;
  let shed = 0;
  const ttft: number[] = [];
  const total: number[] = [];
  const failures = new Map<string, number>();
  for (const id of ids) {
    const r: ClientResult | undefined = pass.results[id];
    const attempts = pass.attempts.get(id) ?? [];
    upstream += attempts.length;
    if (new Set(attempts.map((a) => a.provider)).size > 1) failovers++;
    if (!r) continue;
    if (r.switches > 0) resumed++;
    if (r.ok) {
      ok++;
      total.push(r.totalMs);
      if (r.ttftMs !== undefined) ttft.push(r.ttftMs);
      continue;
    }
    if (gateway && attempts.length === 0 && (r.status === 503 || r.status === 429)) shed++;
    const reason = r.failure ?? 'failed';
    failures.set(reason, (failures.get(reason) ?? 0) + 1);
  }
  return {
    requests: ids.length,
    ok,
    successRate: ids.length === 0 ? 1 : ok / ids.length,
    ttft: percentiles(ttft),
    total: percentiles(total),
    attemptsPerRequest: ids.length === 0 ? 0 : upstream / ids.length,
    failovers,
    resumed,
    shed,
    failures: [...failures].sort((a, b) => b[1] - a[1]).map(([reason, count]) => ({ reason, count })),
  };
}

export function buildReport(run: DrillRun): DrillReport {
  const s = run.scenario;
  const phaseEnd = (k: number) => s.phases[k + 1]?.at ?? s.end;
  const idsIn = (k: number) => run.plan.filter((r) => r.phase === k).map((r) => r.id);
  const all = run.plan.map((r) => r.id);
  const primary = primaryOf(run.config, run.aliases);

  const phases: PhaseReport[] = s.phases.map((p, k) => {
    const ids = idsIn(k);
    const samples = run.samples.filter((x) => x.at >= p.at && x.at < phaseEnd(k));
    const out: PhaseReport = {
      name: p.name,
      start: p.at,
      end: phaseEnd(k),
      gateway: passStats(ids, run.gateway, true),
      providers: run.config.providers.map((c) => providerStats(run, c.name, k, samples)),
      queuedPeak: Math.max(0, ...samples.map((x) => x.queued)),
    };
    if (run.baseline) out.baseline = passStats(ids, run.baseline, false);
    return out;
  });

  const incidents: IncidentReport[] = run.incidents
    .filter((i) => i.source === 'switchyard')
    .map((i) => {
      const provider = run.config.providers.find((p) => p.name === i.provider);
      const entry = provider && entryFor(provider, s.providers, primary);
      const since = entry && failingSince(s.phases, entry.phases, i.startedAt);
      const out: IncidentReport = { provider: i.provider, components: i.components, title: i.title, impact: i.impact, openedAt: i.startedAt, phase: s.phases[phaseIndexAt(s.phases, i.startedAt)]!.name };
      if (i.resolvedAt !== undefined) out.resolvedAt = i.resolvedAt;
      if (since !== undefined) out.detectionDelayMs = i.startedAt - since;
      return out;
    })
    .sort((a, b) => a.openedAt - b.openedAt);

  const overall: DrillReport['overall'] = { gateway: passStats(all, run.gateway, true) };
  if (run.baseline) overall.baseline = passStats(all, run.baseline, false);
  return {
    version: 1,
    scenario: {
      name: s.name,
      title: s.title,
      ...(s.source ? { source: s.source } : {}),
      seed: s.seed,
      start: s.start,
      end: s.end,
      assumptions: s.assumptions,
      phases: s.phases.map((p, k) => ({ name: p.name, start: p.at, end: phaseEnd(k) })),
    },
    config: {
      source: run.config.source,
      aliases: run.aliases,
      providers: run.config.providers.map((p) => {
        const entry = entryFor(p, s.providers, primary);
        const client = run.baseline?.clients[p.name];
        return {
          name: p.name,
          type: p.type + (p.type === 'openai-compatible' && vendorOf(p) ? ` (${vendorOf(p)})` : ''),
          playedBy: entry ? `scenario entry "${entry.match}"` : 'healthy throughout (not in the scenario)',
          models: modelsOf(run.config, p.name),
          ...(client ? { baselineClient: client } : {}),
        };
      }),
    },
    run: { speed: run.speed, wallMs: run.wallMs, tickScenarioMs: run.speed, busyMs: run.gateway.busyMs, ...(run.baseline ? { baselineBusyMs: run.baseline.busyMs } : {}), requests: run.plan.length, ...(run.baselineSkipped ? { baselineSkipped: run.baselineSkipped } : {}) },
    overall,
    phases,
    incidents,
    series: series(run),
  };
}

function providerStats(run: DrillRun, name: string, k: number, samples: DrillRun['samples']): ProviderPhaseStats {
  let peak = 0;
  let overCapacity = 0;
  let attempts = 0;
  for (const list of run.gateway.attempts.values()) {
    for (const a of list) {
      if (a.provider !== name || phaseIndexAt(run.scenario.phases, a.at) !== k) continue;
      attempts++;
      peak = Math.max(peak, a.load);
      if (a.outcome === 'over capacity') overCapacity++;
    }
  }
  const caps = samples.map((x) => x.providers[name]?.capacity).filter((c): c is number => c !== undefined);
  for (const x of samples) peak = Math.max(peak, x.providers[name]?.load ?? 0);
  const out: ProviderPhaseStats = { provider: name, peakLoad: Math.round(peak * 10) / 10, overCapacity, attempts };
  if (caps.length > 0) out.capacity = Math.min(...caps);
  return out;
}

function series(run: DrillRun): DrillReport['series'] {
  const s = run.scenario;
  const bucketMs = Math.max(1000, Math.ceil((s.end - s.start) / SERIES_POINTS / 1000) * 1000);
  const n = Math.ceil((s.end - s.start) / bucketMs);
  const byBucket: number[][] = Array.from({ length: n }, () => []);
  for (const r of run.plan) byBucket[Math.min(n - 1, Math.floor((r.at - s.start) / bucketMs))]!.push(r.id);
  const point = (ids: number[], pass: PassData) => {
    const st = passStats(ids, pass, false);
    let attempts = 0;
    for (const id of ids) attempts += pass.attempts.get(id)?.length ?? 0;
    return { requests: ids.length, ok: st.ok, ttftP50: st.ttft.p50, ttftP95: st.ttft.p95, attempts };
  };
  const points: SeriesPoint[] = byBucket.map((ids, i) => {
    const servedBy: Record<string, number> = {};
    for (const id of ids) {
      const r = run.gateway.results[id];
      if (r?.ok && r.provider) servedBy[r.provider] = (servedBy[r.provider] ?? 0) + 1;
    }
    const p: SeriesPoint = { at: s.start + i * bucketMs, gateway: point(ids, run.gateway), servedBy };
    if (run.baseline) p.baseline = point(ids, run.baseline);
    return p;
  });
  return { bucketMs, points, load: run.samples.map((x) => ({ at: x.at, providers: x.providers, queued: x.queued })) };
}
