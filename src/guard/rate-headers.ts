/**
 * The rate-limit headers OpenAI sends and clients already read (issue #25 item 4):
 * x-ratelimit-{limit,remaining,reset}-{requests,tokens}, resets as Go-style durations ("1s",
 * "6m0s", "20ms"; platform.openai.com/docs/guides/rate-limits, "Rate limits in headers").
 * When a key and its team both limit, the tighter one (least remaining) is shown.
 */
import type { SubjectUsage } from '../storage/limit-store.js';

/** A Go-style duration, as OpenAI writes them: 20ms, 1.5s, 6m0s, 1h2m3s. */
export function goDuration(ms: number): string {
  const t = Math.max(0, Math.ceil(ms));
  if (t < 1000) return `${t}ms`;
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor((t % 3_600_000) / 60_000);
  const s = Number(((t % 60_000) / 1000).toFixed(3));
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

function tightest(usage: readonly SubjectUsage[], of: 'requests' | 'tokens'): SubjectUsage | undefined {
  let best: SubjectUsage | undefined;
  let bestLeft = Infinity;
  for (const u of usage) {
    const limit = of === 'requests' ? u.requestsLimit : u.tokensLimit;
    if (limit === undefined) continue;
    const left = limit - (of === 'requests' ? u.requests : u.tokens);
    if (left < bestLeft) {
      best = u;
      bestLeft = left;
    }
  }
  return best;
}

/** Add the headers for whichever of requests and tokens are limited; nothing when neither is. */
export function addRateLimitHeaders(usage: readonly SubjectUsage[], into: Record<string, string>): Record<string, string> {
  const r = tightest(usage, 'requests');
  if (r) {
    into['x-ratelimit-limit-requests'] = String(r.requestsLimit);
    into['x-ratelimit-remaining-requests'] = String(Math.max(0, r.requestsLimit! - r.requests));
    into['x-ratelimit-reset-requests'] = goDuration(r.requestsResetMs);
  }
  const t = tightest(usage, 'tokens');
  if (t) {
    into['x-ratelimit-limit-tokens'] = String(t.tokensLimit);
    into['x-ratelimit-remaining-tokens'] = String(Math.max(0, t.tokensLimit! - t.tokens));
    into['x-ratelimit-reset-tokens'] = goDuration(t.tokensResetMs);
  }
  return into;
}
