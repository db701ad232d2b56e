/**
 * A realistic, deterministic snapshot with an outage in progress, for tests,
 * screenshots and page previews: three providers, the OpenAI-like one in a
 * partial outage for the last 40 minutes while traffic flees to the others
 * (the shape of 2024-06-04), some bad days in the 90-day history, an open
 * incident, a resolved one and a vendor-declared one.
 */
import { worseState, type ComponentSnapshot, type ComponentState, type DayBar, type Incident, type StatusSnapshot } from '../../health/types.js';
import { lastDays } from './empty-snapshot.js';
import { seededRandom } from '../../core/random.js';

const MIN = 60_000;


export interface SampleOptions {
  now?: number;
  /** Number of components (extra ones are generated), default 3. */
  components?: number;
  intervalMs?: number;
}

export function sampleSnapshot(opts: SampleOptions = {}): StatusSnapshot {
  const now = opts.now ?? Date.UTC(2026, 10, 22, 14, 30);
  const intervalMs = opts.intervalMs ?? 5 * MIN;
  const rand = seededRandom(42);
  const slots = Math.round((24 * 60 * MIN) / intervalMs);
  const start = Math.floor(now / intervalMs) * intervalMs - (slots - 1) * intervalMs;
  const outageFrom = now - 40 * MIN;
  const bases = [
    { provider: 'sim-openai', model: 'gpt-4o-mini', ttft: 380, state: 'partial_outage' as ComponentState },
    { provider: 'sim-anthropic', model: 'claude-3-5-haiku-latest', ttft: 520, state: 'degraded_performance' as ComponentState },
    { provider: 'sim-gemini', model: 'gemini-2.0-flash', ttft: 300, state: 'operational' as ComponentState },
  ];
  const n = opts.components ?? 3;
  const defs = Array.from({ length: n }, (_, i) => bases[i] ?? { provider: `provider-${i}`, model: `model-${i}`, ttft: 250 + i * 10, state: 'operational' as ComponentState });
  const dayNames = lastDays(now);

  const components: ComponentSnapshot[] = defs.map((d, ci) => {
    const days: DayBar[] = dayNames.map((day, i) => {
      if (i < 20) return { day, worst: 'no_data', uptimePct: null, requests: 0, errors: 0 }; // before the gateway was deployed
      const r = rand();
      const worst: ComponentState = i === 89 ? d.state : r > 0.97 ? 'major_outage' : r > 0.93 ? 'partial_outage' : r > 0.88 ? 'degraded_performance' : 'operational';
      const uptimePct = worst === 'operational' ? 100 : 100 - rand() * (worst === 'major_outage' ? 12 : 3);
      const requests = 20_000 + Math.floor(rand() * 5000);
      return { day, worst, uptimePct, requests, errors: Math.floor((requests * (100 - uptimePct)) / 100) };
    });
    const observed = days.filter((x) => x.uptimePct !== null);
    const uptime90dPct = observed.reduce((s, x) => s + x.uptimePct!, 0) / observed.length;
    const errors24h = [];
    const latency24h = [];
    for (let k = 0; k < slots; k++) {
      const at = start + k * intervalMs;
      const out = at >= outageFrom && d.state !== 'operational';
      // Traffic leaves the failing provider: it gets a trickle (breaker probes), the others absorb it.
      const requests = ci === 0 && out ? 6 + Math.floor(rand() * 6) : 60 + Math.floor(rand() * 40) + (ci > 0 && at >= outageFrom ? 50 : 0);
      const errors = out ? Math.floor(requests * (ci === 0 ? 0.6 : 0.08)) : rand() > 0.9 ? 1 : 0;
      errors24h.push({ at, requests, errors });
      const gap = ci === 0 && out && k % 3 === 0; // no successful request in that interval
      const slow = out ? 4 : 1;
      latency24h.push({ at, p50: gap ? null : Math.round(d.ttft * slow * (0.9 + rand() * 0.2)), p95: gap ? null : Math.round(d.ttft * slow * (2 + rand())) });
    }
    return { id: `${d.provider}/${d.model}`, provider: d.provider, model: d.model, state: d.state, since: d.state === 'operational' ? now - 6 * 86_400_000 : outageFrom, uptime90dPct, days, errors24h, latency24h };
  });

  const traffic24h = components[0]!.errors24h.map((_, k) => ({
    at: start + k * intervalMs,
    byProvider: Object.fromEntries(components.map((c) => [c.provider, c.errors24h[k]!.requests - c.errors24h[k]!.errors])),
  }));

  const openAi = components[0]!.id;
  const incidents: Incident[] = [
    {
      id: 'inc_open_1',
      source: 'switchyard',
      title: `Elevated errors on ${openAi}`,
      components: [openAi],
      provider: 'sim-openai',
      status: 'investigating',
      impact: 'partial_outage',
      startedAt: outageFrom,
      peakErrorRate: 0.62,
      updates: [
        { at: outageFrom, status: 'investigating', state: 'degraded_performance', message: 'Error rate above baseline (18% of requests failing with 503).' },
        { at: outageFrom + 6 * MIN, status: 'investigating', state: 'partial_outage', message: '62% of requests failing; traffic is failing over to other providers.' },
      ],
    },
    {
      id: 'inc_vendor_1',
      source: 'vendor',
      title: 'Increased error rates for API requests',
      components: ['API', 'Chat Completions'],
      provider: 'sim-openai',
      status: 'resolved',
      impact: 'major_outage',
      startedAt: now - 3 * 86_400_000,
      resolvedAt: now - 3 * 86_400_000 + 134 * MIN,
      peakErrorRate: 0,
      updates: [{ at: now - 3 * 86_400_000 + 134 * MIN, status: 'resolved', state: 'operational', message: 'This incident has been resolved.' }],
      url: 'https://status.example.com/incidents/abc123',
    },
    {
      id: 'inc_resolved_1',
      source: 'switchyard',
      title: `Slow responses from ${components[1]?.id ?? openAi}`,
      components: [components[1]?.id ?? openAi],
      provider: components[1]?.provider ?? 'sim-openai',
      status: 'resolved',
      impact: 'degraded_performance',
      startedAt: now - 9 * 86_400_000,
      resolvedAt: now - 9 * 86_400_000 + 27 * MIN,
      peakErrorRate: 0.04,
      updates: [
        { at: now - 9 * 86_400_000, status: 'investigating', state: 'degraded_performance', message: 'Time to first token p95 above 3x baseline.' },
        { at: now - 9 * 86_400_000 + 27 * MIN, status: 'resolved', state: 'operational', message: 'Latency back to baseline for 10 minutes.' },
      ],
    },
  ];
  const overall = components.reduce<ComponentState>((w, c) => worseState(w, c.state), 'operational');
  return { generatedAt: now, overall, intervalMs, components, traffic24h, incidents };
}
