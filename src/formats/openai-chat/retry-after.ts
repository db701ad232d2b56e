/**
 * How long to wait after an OpenAI 429. Besides Retry-After, OpenAI sends
 * x-ratelimit-reset-requests / x-ratelimit-reset-tokens as Go-style durations
 * ("1s", "6m0s", "20ms", "1h2m3.5s") with x-ratelimit-remaining-* telling which
 * limit is spent (platform.openai.com/docs/guides/rate-limits, "Rate limits in headers").
 */
import { retryAfterFromHeaders } from '../../core/errors.js';

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001, ns: 0.000001 };

/** Milliseconds in a Go-style duration, or undefined if it isn't one. */
export function parseDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000; // bare number: seconds
  const re = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    end = re.lastIndex;
  }
  return end === s.length && end > 0 ? total : undefined;
}

/** "Please try again in 120ms." / "in 6.5s" / "in 1m30s" in OpenAI's 429 messages. */
function fromMessage(message: string): number | undefined {
  const m = /try again in ((?:\d+(?:\.\d+)?(?:ms|us|µs|ns|h|m|s))+)/i.exec(message);
  return m ? parseDuration(m[1]!) : undefined;
}

/**
 * The longest relevant wait: Retry-After(-ms), and the reset of each limit that is
 * spent (remaining 0). If no limit says it is spent, all announced resets count,
 * since a request can exceed the tokens that remain without them reaching 0.
 */
export function rateLimitWaitMs(header: (name: string) => string | undefined, message = ''): number | undefined {
  const waits: number[] = [];
  const ra = retryAfterFromHeaders(header);
  if (ra !== undefined) waits.push(ra);
  const resets: Array<{ ms: number; spent: boolean }> = [];
  for (const which of ['requests', 'tokens']) {
    const reset = header(`x-ratelimit-reset-${which}`);
    const ms = reset === undefined ? undefined : parseDuration(reset);
    if (ms !== undefined) resets.push({ ms, spent: header(`x-ratelimit-remaining-${which}`)?.trim() === '0' });
  }
  const spent = resets.filter((r) => r.spent);
  for (const r of spent.length > 0 ? spent : ra === undefined ? resets : []) waits.push(r.ms);
  if (waits.length === 0) {
    const fromText = fromMessage(message);
    if (fromText !== undefined) waits.push(fromText);
  }
  return waits.length === 0 ? undefined : Math.ceil(Math.max(...waits));
}
