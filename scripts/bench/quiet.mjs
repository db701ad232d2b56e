/**
 * Waiting for a quiet machine. On a small box shared with builds and test runs the
 * benchmark measures the neighbours, not the gateway; this samples /proc/stat and waits
 * until the CPUs are mostly idle before measurement starts.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

function cpuTimes() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] ?? 0); // idle + iowait
  return { idle, total: f.reduce((a, b) => a + b, 0) };
}

/** Share of CPU time that was idle over `ms`. */
export async function idleShare(ms) {
  const a = cpuTimes();
  await sleep(ms);
  const b = cpuTimes();
  return (b.idle - a.idle) / Math.max(1, b.total - a.total);
}

/** Resolve once the CPUs were >= `minIdle` idle over a `windowMs` sample, or after `maxMs`; returns the last idle share. */
export async function waitForQuiet({ minIdle = 0.9, windowMs = 3000, maxMs = 600_000, onWait = () => {} } = {}) {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const idle = await idleShare(windowMs);
    if (idle >= minIdle || Date.now() >= deadline) return idle;
    onWait(idle);
  }
}
