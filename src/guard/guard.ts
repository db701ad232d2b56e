/**
 * The guard of one gateway instance (issue #25): who may call, how much, and whether the gateway
 * itself has room. The request stage calls it twice per request:
 *   1. admit(head) before the body is read: synchronous and O(1) (authentication from the
 *      in-memory key cache, the per-address limit, overload shedding);
 *   2. admission.reserve(input, sink) once the alias and the token estimate are known, against
 *      the per-key and per-team limits in the LimitStore: told at once by the in-memory store,
 *      when the store answers by a shared one (Redis);
 * then reservation.settle(attempts) at completion and admission.release() when the response ends.
 * Built from settings, stores and a clock; owns and closes them; holds nothing at module level.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { createSystemClock, type Clock } from '../core/clock.js';
import { randomId } from '../core/ids.js';
import type { KeyStore } from '../storage/key-store.js';
import type { LimitStore } from '../storage/limit-store.js';
import { AdmissionControl } from './admission.js';
import { gatewayOverloaded, invalidApiKey, ipRateLimited, keyExpired, keyRevoked, keyRotated } from './errors.js';
import { isLoopbackHost } from './exposure.js';
import { GuardCore } from './guard-core.js';
import { IpLimiter } from './ip-limiter.js';
import { KeyAdmin } from './key-admin.js';
import { KeyCache, type CachedKey } from './key-cache.js';
import { SystemLoadSampler, type LoadSampler } from './load-sampler.js';
import { PriceTable } from './prices.js';
import { Admission, Refusal, refusalHeaders } from './request-admission.js';
import type { GuardSettings } from './settings.js';
import { digestsEqual, hashKey, looksLikeKey, presentedKey } from './virtual-key.js';

export interface GuardOptions {
  settings: GuardSettings;
  keyStore: KeyStore;
  limitStore: LimitStore;
  clock?: Clock;
  /** Default: perf_hooks and V8 heap statistics, sampled every overload.sampleIntervalMs. */
  sampler?: LoadSampler;
  /** Store failures the guard survived (it keeps its cache, or admits without counters). */
  onError?: (err: unknown, context: string) => void;
}

/** What admit() needs of a request: its head only, never its body. */
export interface RequestHead {
  headers: IncomingHttpHeaders;
  /** The client's address (req.socket.remoteAddress), for the per-address limit under auth: none. */
  remoteAddress: string | undefined;
}

/** A client may lower its own priority (a batch job on an interactive key), never raise it. */
export const PRIORITY_HEADER = 'x-switchyard-priority';

export class Guard {
  readonly keys: KeyAdmin;
  private readonly core: GuardCore;
  private readonly cache: KeyCache;
  private readonly ipLimiter: IpLimiter | undefined;
  private readonly sampler: LoadSampler;
  private readonly defaultPriority: number;
  /** Told the priority class of each request shed for overload (metrics); must not throw. */
  onShed: ((priorityClass: string) => void) | undefined = undefined;

  private constructor(private readonly opts: GuardOptions) {
    const s = opts.settings;
    const clock = opts.clock ?? createSystemClock();
    const onError = opts.onError ?? (() => {});
    this.sampler = opts.sampler ?? new SystemLoadSampler(clock, s.overload.sampleIntervalMs);
    const control = new AdmissionControl(s.overload, s.priorities, this.sampler);
    this.core = new GuardCore(s, opts.limitStore, new PriceTable(s.prices, s.defaultPrice), clock, control, onError, randomId('g', 12));
    this.cache = new KeyCache(opts.keyStore, s, (n) => control.classIndex(n), clock, onError);
    this.keys = new KeyAdmin(opts.keyStore, { clock, settings: s, limits: opts.limitStore, onChange: () => this.cache.reload() });
    this.ipLimiter = s.auth === 'none' && s.ipLimit ? new IpLimiter(s.ipLimit) : undefined;
    this.defaultPriority = Math.max(0, control.classIndex(s.defaultPriority));
  }

  /** Build a guard with its key cache loaded and its timers running. */
  static async open(opts: GuardOptions): Promise<Guard> {
    const g = new Guard(opts);
    try {
      await g.cache.reload();
    } catch (e) {
      g.sampler.close();
      throw e;
    }
    g.cache.start();
    return g;
  }

  get settings(): GuardSettings {
    return this.opts.settings;
  }

  /** Prices used for budgets (e.g. to warn at start about models nothing prices). */
  get prices(): PriceTable {
    return this.core.prices;
  }

  /**
   * Admit a request from its head, or refuse it. Synchronous and O(1): one SHA-256 of the
   * presented key and a Map lookup, a counter per address, and two sampled load numbers.
   * An Admission must be released (admission.release()) when the response ends.
   */
  admit(head: RequestHead): Admission | Refusal {
    const core = this.core;
    let key: CachedKey | undefined;
    if (core.settings.auth === 'keys') {
      const found = this.authenticate(head.headers);
      if (found instanceof Refusal) return found;
      key = found;
    }
    let cls = key ? key.priority : this.defaultPriority;
    const asked = head.headers[PRIORITY_HEADER];
    if (typeof asked === 'string') {
      const lower = core.control.classIndex(asked.trim());
      if (lower > cls) cls = lower;
    }
    if (!core.control.tryEnter(cls)) {
      this.onShed?.(core.control.priorities[cls]!.name);
      const e = gatewayOverloaded(core.settings.overload.retryAfterMs);
      // Shed traffic must not come straight back through the SDKs' automatic retries (DESIGN.md: when the gateway sheds, it says so).
      return new Refusal(e, refusalHeaders(e, true));
    }
    if (this.ipLimiter && head.remoteAddress !== undefined && !(core.settings.ipLimit!.exemptLoopback && isLoopbackHost(head.remoteAddress))) {
      const wait = this.ipLimiter.take(head.remoteAddress, core.clock.now());
      if (wait > 0) {
        core.control.leave(cls);
        const e = ipRateLimited(wait);
        return new Refusal(e, refusalHeaders(e, false));
      }
    }
    return new Admission(core, key, cls);
  }

  /** Reload the key cache now (after changes made to the store behind the guard's back, e.g. in tests). */
  reloadKeys(): Promise<void> {
    return this.cache.reload();
  }

  /** Requests admitted and not yet released, per priority class, and the current load (1 = at the line). */
  load(): { inFlight: number; byClass: Record<string, number>; load: number } {
    return this.core.control.snapshot();
  }

  async close(): Promise<void> {
    this.cache.close();
    this.sampler.close();
    await this.opts.keyStore.close();
    await this.opts.limitStore.close();
  }

  private authenticate(headers: IncomingHttpHeaders): CachedKey | Refusal {
    const presented = presentedKey(headers);
    if (presented === undefined) return refuseAuth(invalidApiKey('missing'));
    if (!looksLikeKey(presented)) return refuseAuth(invalidApiKey('unknown'));
    const hash = hashKey(presented);
    const entry = this.cache.lookup(hash);
    if (!entry || !digestsEqual(entry.hash, hash)) return refuseAuth(invalidApiKey('unknown'));
    const k = entry.record;
    if (k.revokedAt !== undefined) return refuseAuth(keyRevoked(entry.prefix));
    const now = this.core.clock.now();
    if (entry.validUntil !== undefined && now >= entry.validUntil) return refuseAuth(keyRotated(entry.prefix));
    if (k.expiresAt !== undefined && now >= k.expiresAt) return refuseAuth(keyExpired(entry.prefix));
    return entry;
  }
}

function refuseAuth(e: ReturnType<typeof invalidApiKey>): Refusal {
  return new Refusal(e, refusalHeaders(e, true));
}
