/**
 * The guard a gateway builds from its configuration: keys in SQLite (<data dir>/keys.db) when
 * keys are in use (auth: keys, or an admin API to create them), counters in memory unless the
 * gateway hands it shared ones. With
 * auth: none and no admin key nothing is written to disk. For the composition root.
 */
import type { Clock } from '../core/clock.js';
import { openKeyStore } from '../storage/open-key-store.js';
import type { LimitStore } from '../storage/limit-store.js';
import { openLimitStore } from '../storage/open-limit-store.js';
import { Guard } from './guard.js';
import type { LoadSampler } from './load-sampler.js';
import type { GuardSettings } from './settings.js';

export interface OpenGuardOptions {
  /** Where keys.db lives when settings.dataDir is absent (resolved by the caller, e.g. status.data_dir or ./.switchyard-data). */
  dataDir: string;
  clock?: Clock;
  sampler?: LoadSampler;
  onError?: (err: unknown, context: string) => void;
  /** The counters, when the gateway shares them (storage.state: redis); the guard closes it. Default: memory. */
  limitStore?: LimitStore;
}

export async function openGuard(settings: GuardSettings, opts: OpenGuardOptions): Promise<Guard> {
  const usesKeys = settings.auth === 'keys' || settings.adminKey !== undefined;
  const keyStore = await openKeyStore(usesKeys ? { kind: 'sqlite', dir: settings.dataDir ?? opts.dataDir } : { kind: 'memory' });
  const limitStore = opts.limitStore ?? (await openLimitStore({ kind: 'memory' }));
  try {
    return await Guard.open({
      settings,
      keyStore,
      limitStore,
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.sampler ? { sampler: opts.sampler } : {}),
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
  } catch (e) {
    await keyStore.close();
    await limitStore.close();
    throw e;
  }
}
