/**
 * Full-jitter exponential backoff (AWS Architecture Blog, "Exponential Backoff
 * and Jitter"): a uniformly random wait in [0, min(cap, base * 2^attempt)], so
 * retries from many clients spread out instead of arriving in waves.
 */
export function fullJitterDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}
