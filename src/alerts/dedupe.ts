/**
 * Alert deduplication. Health tracking may report the same transition more
 * than once (a restart, a vendor feed re-read, two replicas), and a receiver
 * must see it once: the same event type for the same incident and the same
 * latest update, within a window, is one alert. A credential parked again and
 * again for the same provider/model within the window is one alert too.
 */
import type { AlertEvent } from '../health/types.js';
import type { Clock } from '../core/clock.js';

export function dedupeKey(event: AlertEvent): string | undefined {
  switch (event.type) {
    case 'incident.opened':
    case 'incident.resolved':
      // One open and one resolve per incident, whatever updates came with it.
      return `${event.type}|${event.incident.id}`;
    case 'incident.updated': {
      const i = event.incident;
      const last = i.updates.at(-1);
      return `${event.type}|${i.id}|${last ? `${last.at}|${last.status}|${last.state}` : `${i.status}|${i.impact}`}`;
    }
    case 'credential.parked':
      return `${event.type}|${event.provider}|${event.model ?? '*'}`;
    case 'test':
      // Every test is deliberate.
      return undefined;
  }
}

export class DedupeWindow {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
    /** Bound on remembered keys so a storm cannot grow memory without limit. */
    private readonly maxKeys = 10_000,
  ) {}

  /** True the first time a key is seen within the window (and records it). */
  admit(key: string): boolean {
    const now = this.clock.now();
    const at = this.seen.get(key);
    if (at !== undefined && now - at < this.windowMs) return false;
    this.seen.delete(key);
    this.seen.set(key, now);
    this.prune(now);
    return true;
  }

  private prune(now: number): void {
    // Map keeps insertion order, so the oldest entries come first.
    for (const [k, at] of this.seen) {
      if (this.seen.size <= this.maxKeys && now - at < this.windowMs) break;
      this.seen.delete(k);
    }
  }
}
