/**
 * Time-to-first-token statistics per target: an EWMA for least-loaded
 * balancing and a sliding sample for the p95 that triggers hedges.
 */
export class LatencyStats {
  ewma: number | undefined;
  private readonly samples: number[] = [];
  private next = 0;

  constructor(
    private readonly alpha = 0.2,
    private readonly size = 200,
  ) {}

  add(ms: number): void {
    this.ewma = this.ewma === undefined ? ms : this.ewma + this.alpha * (ms - this.ewma);
    if (this.samples.length < this.size) this.samples.push(ms);
    else {
      this.samples[this.next] = ms;
      this.next = (this.next + 1) % this.size;
    }
  }

  count(): number {
    return this.samples.length;
  }

  /** The q-quantile (0..1) of recent samples, or undefined with fewer than `min` samples. */
  quantile(q: number, min = 20): number | undefined {
    if (this.samples.length < min) return undefined;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }
}
