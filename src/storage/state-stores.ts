/**
 * The shared-state stores of one gateway instance, opened together (issue #27): the router's
 * three synchronous stores, the lease store and the alert claims, in this process's memory or shared
 * through Redis. open-state-stores.ts picks; the composition root passes them to the router
 * (`routerStores`), the probe lease, the alert dispatcher and, through `connection`, the limit
 * store, and closes them last.
 */
import type { Clock } from '../core/clock.js';
import type { AlertClaimStore } from './alert-claim-store.js';
import type { BreakerStore } from './breaker-store.js';
import type { CooldownStore } from './cooldown-store.js';
import type { CounterStore } from './counter-store.js';
import type { LeaseStore } from './lease-store.js';
import type { RedisConnection } from './redis/redis-connection.js';

export interface StateStoreStatus {
  kind: 'memory' | 'redis';
  /** Redis answering now (always true in memory). */
  connected: boolean;
  /** Writes and merges that failed since start (Redis away): each instance then acted alone. */
  failedWrites: number;
}

export interface StateStores {
  cooldowns: CooldownStore;
  breakers: BreakerStore;
  counters: CounterStore;
  leases: LeaseStore;
  /** Which instance delivers an alert the whole fleet raised. */
  alertClaims: AlertClaimStore;
  /** The Redis connection these stores share (the limit store may use it too); absent in memory. */
  readonly connection?: RedisConnection;
  status(): StateStoreStatus;
  close(): Promise<void>;
}

export type StateStoreOptions =
  | {
      kind: 'memory';
      /** Alert claims expire on it; default a system clock. */
      clock?: Clock;
    }
  | {
      kind: 'redis';
      url: string;
      /** Default `switchyard:`. */
      keyPrefix?: string;
      /** Timers (counter merges) run on it; default a system clock. */
      clock?: Clock;
      /** Counter merge period, default 250 ms. */
      mergeEveryMs?: number;
    };
