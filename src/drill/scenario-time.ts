/**
 * Times and durations as scenario files write them: `90s`, `20m`, `1h30m` (a bare number
 * is seconds), and phase times as `HH:MM` (UTC, on the start's day, rolling over midnight
 * when earlier than the previous phase: 2024-12-11 runs from 23:12 to 03:38), `+1h30m` from
 * the start, or a full ISO time.
 */

const DURATION = /^(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+(?:\.\d+)?)m(?!s))?\s*(?:(\d+(?:\.\d+)?)s)?\s*(?:(\d+)ms)?$/;

/** Milliseconds, or undefined when `v` is not a duration. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v * 1000 : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s === '') return undefined;
  const m = DURATION.exec(s);
  if (!m || m.slice(1).every((x) => x === undefined)) return undefined;
  const [h, min, sec, ms] = m.slice(1).map((x) => (x === undefined ? 0 : Number(x))) as [number, number, number, number];
  return Math.round(((h * 60 + min) * 60 + sec) * 1000 + ms);
}

/** An ISO time with a zone, e.g. 2024-06-04T06:30:00Z. */
export function parseInstant(v: unknown): number | undefined {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v.trim())) return undefined;
  const t = Date.parse(v.trim());
  return Number.isFinite(t) ? t : undefined;
}

const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const DAY = 86_400_000;

/**
 * A phase time: `HH:MM[:SS]` is the first such time at or after `notBefore` counted from the
 * start's UTC day; `+duration` is after the start; ISO is as written. Undefined when malformed.
 */
export function parseAt(v: unknown, start: number, notBefore: number): number | undefined {
  if (typeof v === 'string' && v.trim().startsWith('+')) {
    const d = parseDuration(v.trim().slice(1));
    return d === undefined ? undefined : start + d;
  }
  if (typeof v === 'string') {
    const m = CLOCK.exec(v.trim());
    if (m) {
      const [h, min, sec] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
      if (h > 23 || min > 59 || sec > 59) return undefined;
      let t = Math.floor(start / DAY) * DAY + ((h * 60 + min) * 60 + sec) * 1000;
      while (t < notBefore) t += DAY;
      return t;
    }
  }
  return parseInstant(v);
}

/** `2h 05m`, `45m`, `30s`: a span of scenario time for people. */
export function formatSpan(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 || m >= 10 ? `${m}m` : `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** `06:49` UTC (with the day when it is not the start's: `12-12 01:36`). */
export function formatAt(at: number, start: number): string {
  const iso = new Date(at).toISOString();
  const clock = iso.slice(11, 16);
  return Math.floor(at / DAY) === Math.floor(start / DAY) ? clock : `${iso.slice(5, 10)} ${clock}`;
}
