/**
 * Time as a dependency (DESIGN.md principle 7): resilience objects take a
 * Clock so tests drive time by hand instead of sleeping.
 */

import { TimerEntry, TimerLists } from './timer-lists.js';

export type TimerHandle = { readonly id: number } | TimerEntry | ReturnType<typeof setTimeout>;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Call fn(arg) after `ms` (an argument rather than a closure keeps hot-path timers small). */
  setTimeout<A = undefined>(fn: (arg: A) => void, ms: number, arg?: A): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * Real time: timers on TimerLists over Node's (unref'd: a pending timer never keeps the process
 * alive). Each call makes a clock with lists of its own, so what one gateway schedules never
 * shares a list with another's.
 */
export function createSystemClock(): Clock {
  const timers = new TimerLists({
    now: () => performance.now(),
    schedule: (fn, ms) => setTimeout(fn, ms).unref(),
    cancel: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  });
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms, arg) => timers.set(fn, ms, arg as Parameters<typeof fn>[0]),
    clearTimeout: (h) => {
      if (h instanceof TimerEntry) timers.clear(h);
    },
  };
}

/** A clock that only moves when told to; timers fire inside advance(). */
export class ManualClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers = new Map<number, { at: number; fn: (arg: unknown) => void; arg: unknown }>();

  constructor(start = 1_700_000_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout<A = undefined>(fn: (arg: A) => void, ms: number, arg?: A): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + Math.max(0, ms), fn: fn as (arg: unknown) => void, arg });
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    if (typeof handle === 'object' && handle && 'id' in handle) this.timers.delete(handle.id as number);
  }

  /** Move time forward, firing due timers in order (timers set by timers fire too if due). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let dueId: number | undefined;
      let dueAt = Infinity;
      for (const [id, t] of this.timers) {
        if (t.at <= target && t.at < dueAt) {
          dueAt = t.at;
          dueId = id;
        }
      }
      if (dueId === undefined) break;
      const t = this.timers.get(dueId)!;
      this.timers.delete(dueId);
      this.current = Math.max(this.current, t.at);
      t.fn(t.arg);
    }
    this.current = target;
  }

  pendingTimers(): number {
    return this.timers.size;
  }
}
