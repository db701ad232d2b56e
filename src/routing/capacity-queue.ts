/**
 * A bounded wait for capacity: when no target has a free slot, a request may wait (FIFO, up to a
 * maximum time) for one to free up instead of failing. A waiter is told once: woken by a released
 * slot (true), or not (false: its time ran out, or its request ended).
 */
import type { SignalLike } from '../core/cancel.js';
import type { Clock, TimerHandle } from '../core/clock.js';

export interface QueueWaiter {
  woken(ok: boolean): void;
}

export class CapacityQueue {
  private readonly entries: QueueEntry[] = [];

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.entries.length;
  }

  /** Wait in line for up to `maxMs`; false (and `w` is not told) when it can't: no time, a full queue, an ended request. */
  enter(w: QueueWaiter, maxMs: number, maxSize: number, signal: SignalLike): boolean {
    if (maxMs <= 0 || this.entries.length >= maxSize || signal.aborted) return false;
    this.entries.push(new QueueEntry(this, w, maxMs, signal));
    return true;
  }

  /** A slot was released: let the longest waiter try again. */
  wake(): void {
    this.entries[0]?.leave(true);
  }

  /** @internal */
  remove(e: QueueEntry): void {
    const i = this.entries.indexOf(e);
    if (i !== -1) this.entries.splice(i, 1);
  }

  /** @internal */
  get timers(): Clock {
    return this.clock;
  }
}

class QueueEntry {
  private readonly timer: TimerHandle;
  private left = false;

  constructor(
    private readonly queue: CapacityQueue,
    private readonly waiter: QueueWaiter,
    maxMs: number,
    private readonly signal: SignalLike,
  ) {
    this.timer = queue.timers.setTimeout(expire, maxMs, this);
    signal.addEventListener('abort', this, { once: true });
  }

  /** @internal the request ended while waiting. */
  handleEvent(): void {
    this.leave(false);
  }

  leave(ok: boolean): void {
    if (this.left) return;
    this.left = true;
    this.queue.remove(this);
    this.queue.timers.clearTimeout(this.timer);
    this.signal.removeEventListener('abort', this);
    this.waiter.woken(ok);
  }
}

function expire(e: QueueEntry): void {
  e.leave(false);
}
