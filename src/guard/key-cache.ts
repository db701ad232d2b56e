/**
 * The guard's in-memory copy of the key store, so authentication stays synchronous and O(1)
 * (one SHA-256 and one Map lookup) before the body is read. It reloads:
 * - at once after every change made through this guard's admin API (KeyAdmin calls reload());
 * - within keyRefreshMs of a change made elsewhere (the CLI on the same keys.db, another
 *   instance on a shared store): a timer asks the store for its revision and reloads only when
 *   it moved. A revocation from the CLI therefore takes effect within keyRefreshMs (default 5 s).
 * Expiry and the end of a rotation grace need no reload: they are compared with the clock.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import type { KeyLimits, KeyStore, StoredKey } from '../storage/key-store.js';
import type { LimitRule } from '../storage/limit-store.js';
import type { GuardSettings } from './settings.js';

export interface CachedKey {
  readonly record: StoredKey;
  /** The digest this entry answers for: the key's current one, or its rotated-out previous one. */
  readonly hash: string;
  /** The prefix of that digest's key, for messages. */
  readonly prefix: string;
  /** Set for a previous key: when its grace ends. */
  readonly validUntil: number | undefined;
  /** Limit rules (the key's, then its team's), defaults applied, built once per load. */
  readonly rules: readonly LimitRule[];
  readonly aliases: ReadonlySet<string> | undefined;
  /** Index into the priority classes. */
  readonly priority: number;
  /** How messages name the key: `key "name" (sk-sy-AbCd…)`. */
  readonly label: string;
}

/** The key's limits over the defaults, field by field; plus its team's limits when it has a team. */
export function rulesFor(k: StoredKey, settings: Pick<GuardSettings, 'defaultLimits' | 'teams'>): LimitRule[] {
  const rules: LimitRule[] = [{ subject: `key:${k.id}`, ...merge(settings.defaultLimits, k.limits) }];
  if (k.team !== undefined) rules.push({ subject: `team:${k.team}`, ...(settings.teams[k.team] ?? {}) });
  return rules;
}

function merge(base: KeyLimits, own: KeyLimits): KeyLimits {
  const out: KeyLimits = { ...base };
  for (const [f, v] of Object.entries(own)) if (v !== undefined) (out as Record<string, unknown>)[f] = v;
  return out;
}

export class KeyCache {
  private byHash = new Map<string, CachedKey>();
  private rev = -1;
  private timer: TimerHandle | undefined;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly store: KeyStore,
    private readonly settings: GuardSettings,
    private readonly classIndex: (name: string) => number,
    private readonly clock: Clock,
    private readonly onError: (err: unknown, context: string) => void,
  ) {}

  lookup(hash: string): CachedKey | undefined {
    return this.byHash.get(hash);
  }

  get size(): number {
    return this.byHash.size;
  }

  /**
   * Load everything now (start-up, and after a change made through this guard). Loads run one
   * after another, so a slow older load can never overwrite a newer one (a revoked key coming back).
   */
  reload(): Promise<void> {
    return this.enqueue(false);
  }

  /** Start checking for changes made elsewhere every keyRefreshMs. */
  start(): void {
    if (!this.closed && this.timer === undefined) this.timer = this.clock.setTimeout(refreshTick, this.settings.keyRefreshMs, this);
  }

  /** Reload when the store's revision moved; errors keep the old cache (a store blip must not lock everyone out). */
  async refresh(): Promise<void> {
    try {
      await this.enqueue(true);
    } catch (e) {
      this.onError(e, 'key cache refresh');
    }
  }

  private enqueue(onlyIfChanged: boolean): Promise<void> {
    const next = this.queue.then(() => this.load(onlyIfChanged));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async load(onlyIfChanged: boolean): Promise<void> {
    const rev = await this.store.revision();
    if (onlyIfChanged && rev === this.rev) return;
    const keys = await this.store.list();
    const next = new Map<string, CachedKey>();
    const fallback = Math.max(0, this.classIndex(this.settings.defaultPriority));
    for (const k of keys) {
      const rules = rulesFor(k, this.settings);
      const aliases = k.aliases ? new Set(k.aliases) : undefined;
      const named = k.priority === undefined ? -1 : this.classIndex(k.priority);
      const priority = named === -1 ? fallback : named;
      const label = `key "${k.name}" (${k.prefix}…)`;
      next.set(k.hash, { record: k, hash: k.hash, prefix: k.prefix, validUntil: undefined, rules, aliases, priority, label });
      if (k.previous) next.set(k.previous.hash, { record: k, hash: k.previous.hash, prefix: k.previous.prefix, validUntil: k.previous.validUntil, rules, aliases, priority, label });
    }
    this.byHash = next;
    this.rev = rev;
  }

  /** For the timer: refresh, then schedule the next one. */
  tick(): void {
    this.timer = undefined;
    void this.refresh().then(() => this.start());
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function refreshTick(cache: KeyCache): void {
  cache.tick();
}
