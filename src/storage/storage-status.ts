/**
 * What an operator must see about a gateway's shared state (issue #27: "the degradation is
 * visible"): where it lives, whether Redis answers, and, while it does not, which share of every
 * limit this instance enforces alone. Served in `GET /healthz` and read by the metrics.
 */
import type { LimitStore } from './limit-store.js';
import { DegradedLimitStore } from './redis/degraded-limit-store.js';
import type { StateStores } from './state-stores.js';

export interface StorageStatus {
  state: 'memory' | 'redis';
  /** Redis answering now (always true in memory). */
  connected: boolean;
  /** Limits are counted per instance because Redis is away. */
  degraded: boolean;
  /** How limits are enforced now, in words. */
  limits: string;
  /** Live instances (Redis only): divides the limits while degraded. */
  instances?: number;
  instancesSource?: 'live' | 'last-known' | 'fallback';
  /** Shared-state writes and merges that failed (Redis away). */
  failedWrites: number;
  /** Limit settlements Redis could not take. */
  droppedSettlements: number;
}

export function storageStatus(state: StateStores, limits: LimitStore): StorageStatus {
  const s = state.status();
  if (!(limits instanceof DegradedLimitStore)) {
    return { state: s.kind, connected: s.connected, degraded: false, limits: 'this instance alone (memory)', failedWrites: s.failedWrites, droppedSettlements: 0 };
  }
  const share = limits.instances;
  const degraded = limits.degraded;
  return {
    state: s.kind,
    connected: s.connected,
    degraded,
    limits: degraded ? `per instance: each limit / ${share.count} (Redis is unreachable)` : 'shared by every instance (Redis)',
    instances: share.count,
    instancesSource: share.source,
    failedWrites: s.failedWrites,
    droppedSettlements: limits.droppedSettlements,
  };
}
