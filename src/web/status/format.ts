/**
 * Number, time and duration wording for the status page. Times are UTC and say
 * so: readers in an outage compare them with vendor pages and each other.
 * Hand-written rather than Intl so output is the same on every host locale.
 */

export function formatCount(n: number): string {
  const s = String(Math.round(n));
  return s.length <= 3 ? s : s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 99.8% style; `digits` decimals, trailing zeros kept so columns line up. */
export function formatPct(pct: number, digits = 2): string {
  // Never round a non-perfect day up to 100%: 99.996% reads as "100.00%" and hides the outage.
  const factor = 10 ** digits;
  const floored = Math.floor(pct * factor) / factor;
  return `${floored.toFixed(digits)}%`;
}

export function formatMs(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  // "2.5 s", not "2.50 s": trailing zeros only add noise to axis labels.
  return `${String(Math.round(ms / (ms < 10_000 ? 10 : 100)) / (ms < 10_000 ? 100 : 10))} s`;
}

/** "3 d 4 h", "2 h 14 min", "45 min", "under 1 min". */
export function formatDuration(ms: number): string {
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'under 1 min';
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** "14:05" UTC. Arithmetic, not Date: charts call this for every bar. */
export function formatClock(at: number): string {
  const min = Math.floor(at / 60_000) % 1440;
  const m = min < 0 ? min + 1440 : min;
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/** A coordinate with at most one decimal: short SVG, and cheaper than toFixed. */
export function n1(v: number): string {
  return String(Math.round(v * 10) / 10);
}

/** "2026-11-20 14:05 UTC". */
export function formatUtc(at: number): string {
  return `${new Date(at).toISOString().slice(0, 10)} ${formatClock(at)} UTC`;
}

/** A <time> element a screen reader and a script can both understand. */
export function timeTag(at: number): string {
  return `<time datetime="${new Date(at).toISOString()}">${formatUtc(at)}</time>`;
}
