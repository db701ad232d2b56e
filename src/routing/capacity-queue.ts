/**
 * A bounded wait for capacity: when no target has a free slot, a request may
 * wait (FIFO, up to a maximum time) for one to free up instead of failing.
 */
import type { SignalLike } from '../core/cancel.js';
import type { Clock } from '../core/clock.js';

export class CapacityQueue {
  private readonly waiters: Array<(ok: boolean) => void> = [];

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.waiters.length;
  }

  /** Resolves true when woken by a released slot, false on timeout, abort or a full queue. */
  wait(maxMs: number, maxSize: number, signal: SignalLike): Promise<boolean> {
    if (maxMs <= 0 || this.waiters.length >= maxSize || signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (ok: boolean) => {
        const i = this.waiters.indexOf(finish);
        if (i !== -1) this.waiters.splice(i, 1);
        this.clock.clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      const onAbort = () => finish(false);
      const timer = this.clock.setTimeout(() => finish(false), maxMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(finish);
    });
  }

  /** A slot was released: let the longest waiter try again. */
  wake(): void {
    this.waiters[0]?.(true);
  }
}
