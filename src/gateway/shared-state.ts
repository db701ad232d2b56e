/**
 * The fleet's shared state as one gateway uses it (issue #27; docs/scale-out.md, "For the
 * composition root"): the router's stores, the probe lease and the alert claims from `storage:`
 * (this instance's memory, or Redis), and the guard's limit store on the same Redis connection, degrading to a
 * per-instance share when Redis is away. Everything opened here is registered with the gateway's
 * Lifecycle before the pieces that use it, so it closes after them.
 */
import type { Clock } from '../core/clock.js';
import type { GatewayConfig } from '../config/types.js';
import { ProbeLease } from '../health/probe-lease.js';
import type { Logger } from '../http/logger.js';
import type { Redactor } from '../http/redact.js';
import type { RouterStores } from '../routing/router-state.js';
import type { AlertClaimStore } from '../storage/alert-claim-store.js';
import type { LimitStore } from '../storage/limit-store.js';
import { openLimitStore } from '../storage/open-limit-store.js';
import { openStateStores } from '../storage/open-state-stores.js';
import type { StoreLog } from '../storage/redis/degraded-limit-store.js';
import { storageStatus, type StorageStatus } from '../storage/storage-status.js';
import type { Lifecycle } from './lifecycle.js';

export interface SharedState {
  readonly routerStores: RouterStores;
  /** For the guard, which closes it (closing again here is harmless). */
  readonly limitStore: LimitStore;
  /** Held by one instance of the fleet at a time; absent when this instance probes alone (memory, or probes off). */
  readonly probeLease?: ProbeLease;
  /** Which instance of the fleet delivers an alert they all raised (this instance's memory when it is alone). */
  readonly alertClaims: AlertClaimStore;
  status(): StorageStatus;
}

export async function openSharedState(config: GatewayConfig, deps: { clock: Clock; logger: Logger; redactor: Redactor }, life: Lifecycle): Promise<SharedState> {
  const { clock } = deps;
  const storage = config.storage;
  const state = await openStateStores(storage?.state === 'redis' ? { kind: 'redis', url: storage.redisUrl, keyPrefix: storage.keyPrefix, clock } : { kind: 'memory', clock });
  life.add('shared state', () => state.close());
  const log = redactedLog(deps.logger, deps.redactor);
  const limitStore =
    storage?.state === 'redis' && state.connection
      ? await openLimitStore({ kind: 'redis', connection: state.connection, clock, log, fallbackInstances: storage.fallbackInstances })
      : await openLimitStore({ kind: 'memory' });
  life.add('limits', () => limitStore.close());

  let probeLease: ProbeLease | undefined;
  if (state.connection && config.status?.probes.enabled) {
    const lease = new ProbeLease(state.leases, {
      clock,
      owner: state.connection.instanceId,
      onChange: (held) => deps.logger.info({ instance: state.connection!.instanceId }, held ? 'probes: this instance runs the active probes' : 'probes: another instance runs the active probes'),
    });
    await lease.start();
    life.add('probe lease', () => lease.stop());
    probeLease = lease;
  }
  return {
    routerStores: state,
    limitStore,
    alertClaims: state.alertClaims,
    ...(probeLease ? { probeLease } : {}),
    status: () => storageStatus(state, limitStore),
  };
}

/**
 * The storage layer's log, through the gateway's redactor: a driver's error may quote its URL,
 * and a Redis URL may carry a password (resolvedStorageSecrets is on the redactor's list).
 */
function redactedLog(logger: Logger, redactor: Redactor): StoreLog {
  const clean = (fields: Record<string, unknown>) => Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? redactor.text(v) : v]));
  return {
    warn: (fields, message) => logger.warn(clean(fields), redactor.text(message)),
    info: (fields, message) => logger.info(clean(fields), redactor.text(message)),
  };
}
