/**
 * What the gateway's own overload looks like, sampled off the request path so an admission
 * decision only reads two numbers. Event-loop delay is the signal that matters: when it grows,
 * every request already in flight slows down, and refusing slowly is as bad as serving slowly
 * (issue #25: refusals took 0.6-1.5 s at the median under 3,000 offered streams).
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { Clock, TimerHandle } from '../core/clock.js';

export interface LoadSampler {
  /** Event-loop delay, ms: p99 over the last sample interval. */
  eventLoopDelayMs(): number;
  /** Heap used / heap size limit, 0..1. */
  heapUsedRatio(): number;
  close(): void;
}

/** perf_hooks' event-loop delay histogram and V8's heap statistics, read every `intervalMs`. */
export class SystemLoadSampler implements LoadSampler {
  private readonly histogram: IntervalHistogram;
  private delayMs = 0;
  private heapRatio = 0;
  private due = 0;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
    this.histogram.enable();
    this.sample();
  }

  eventLoopDelayMs(): number {
    return this.delayMs;
  }

  heapUsedRatio(): number {
    return this.heapRatio;
  }

  close(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.histogram.disable();
  }

  /** Read and reset the histogram, and schedule the next reading. */
  sample(): void {
    // The histogram's values include its 10 ms resolution: an idle loop reads about 10 ms.
    const p99 = this.histogram.count > 0 ? this.histogram.percentile(99) / 1e6 - 10 : 0;
    // A loop blocked for the whole interval records nothing in the histogram; our own late timer shows it.
    const late = this.due > 0 ? this.clock.now() - this.due : 0;
    this.delayMs = Math.max(0, p99, late);
    this.histogram.reset();
    const h = getHeapStatistics();
    this.heapRatio = h.heap_size_limit > 0 ? h.used_heap_size / h.heap_size_limit : 0;
    this.due = this.clock.now() + this.intervalMs;
    this.timer = this.clock.setTimeout(sampleAgain, this.intervalMs, this);
  }
}

function sampleAgain(s: SystemLoadSampler): void {
  s.sample();
}

/** A sampler whose numbers a test sets. */
export class FixedLoadSampler implements LoadSampler {
  delayMs = 0;
  heapRatio = 0;
  eventLoopDelayMs(): number {
    return this.delayMs;
  }
  heapUsedRatio(): number {
    return this.heapRatio;
  }
  close(): void {}
}
