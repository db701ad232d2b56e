/**
 * The honest snapshot for a gateway with no health data source (or none yet):
 * the configured components, each without data, so the page renders the
 * layout and says "No data yet" instead of inventing uptime.
 */
import type { ComponentSnapshot, DayBar, StatusSnapshot } from '../../health/types.js';

const DAY = 86_400_000;
export const EMPTY_INTERVAL_MS = 5 * 60_000;

/** The last `n` UTC days ending with today's, oldest first, as YYYY-MM-DD. */
export function lastDays(now: number, n = 90): string[] {
  const today = Math.floor(now / DAY) * DAY;
  return Array.from({ length: n }, (_, i) => new Date(today - (n - 1 - i) * DAY).toISOString().slice(0, 10));
}

export function emptyStatusSnapshot(components: { provider: string; model: string }[], now: number, intervalMs = EMPTY_INTERVAL_MS): StatusSnapshot {
  const days: DayBar[] = lastDays(now).map((day) => ({ day, worst: 'no_data', uptimePct: null, requests: 0, errors: 0 }));
  const start = Math.floor(now / intervalMs) * intervalMs - (Math.round(DAY / intervalMs) - 1) * intervalMs;
  const slots = Array.from({ length: Math.round(DAY / intervalMs) }, (_, i) => start + i * intervalMs);
  const seen = new Set<string>();
  const list: ComponentSnapshot[] = [];
  for (const { provider, model } of components) {
    const id = `${provider}/${model}`;
    if (seen.has(id)) continue;
    seen.add(id);
    list.push({
      id,
      provider,
      model,
      state: 'operational',
      since: now,
      uptime90dPct: null,
      days,
      errors24h: slots.map((at) => ({ at, requests: 0, errors: 0 })),
      latency24h: slots.map((at) => ({ at, p50: null, p95: null })),
    });
  }
  return { generatedAt: now, overall: 'operational', intervalMs, components: list, traffic24h: slots.map((at) => ({ at, byProvider: {} })), incidents: [] };
}
