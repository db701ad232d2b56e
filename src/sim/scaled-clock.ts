/**
 * A real-time clock running `speed` times faster than the wall clock, for
 * end-to-end tests of behaviour whose timings are minutes long (health
 * windows, hold times, outage cycles): the gateway, its health tracking and the
 * demo's outage cycle all take a Clock (DESIGN.md principle 7), so one fast
 * clock shrinks every one of those timings together and keeps their ratios.
 * Unlike ManualClock, time still flows by itself, so real sockets work.
 */
import type { Clock } from '../core/clock.js';

export function scaledClock(speed: number, start = Date.now()): Clock {
  if (!Number.isFinite(speed) || speed <= 0) throw new RangeError(`speed must be a positive number (got ${speed})`);
  const realStart = Date.now();
  return {
    now: () => start + Math.round((Date.now() - realStart) * speed),
    setTimeout: (fn, ms, arg) => {
      const t = setTimeout(fn, Math.max(0, ms) / speed, arg as Parameters<typeof fn>[0]);
      // Like the system clock: a pending timer never keeps the process alive by itself.
      t.unref?.();
      return t;
    },
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}
