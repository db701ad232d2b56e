/**
 * Managing virtual keys, for the admin API and the CLI alike (issue #25 item 1): one service over
 * a KeyStore, so both follow the same rules. A key's secret leaves this class exactly twice: in
 * the result of create() and of rotate(); it is never stored and never shown again.
 */
import type { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { randomId } from '../core/ids.js';
import type { KeyPatch, KeyStore, StoredKey } from '../storage/key-store.js';
import type { LimitStore, SubjectUsage } from '../storage/limit-store.js';
import { rulesFor } from './key-cache.js';
import type { KeyInput } from './key-input.js';
import type { GuardSettings } from './settings.js';
import { generateKey } from './virtual-key.js';

export interface KeyAdminOptions {
  clock: Clock;
  settings: Pick<GuardSettings, 'priorities' | 'defaultLimits' | 'teams'>;
  /** Live counters, for usage(); absent (the CLI) = usage() is unavailable. */
  limits?: LimitStore;
  /** Called after every change (the guard reloads its key cache). */
  onChange?: () => Promise<void>;
  random?: typeof randomBytes;
}

/** A refusal an admin can act on: a bad field, or an id nobody has. */
export class KeyAdminError extends Error {
  constructor(
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = 'KeyAdminError';
  }
}

export class KeyAdmin {
  constructor(
    readonly store: KeyStore,
    private readonly opts: KeyAdminOptions,
  ) {}

  now(): number {
    return this.opts.clock.now();
  }

  async create(input: KeyInput): Promise<{ key: StoredKey; secret: string }> {
    this.checkPriority(input.priority);
    const now = this.now();
    const { secret, hash, prefix } = generateKey(this.opts.random);
    const key: StoredKey = { id: randomId('key_', 20), hash, prefix, name: input.name, metadata: input.metadata ?? {}, limits: input.limits ?? {}, createdAt: now, updatedAt: now };
    if (input.team !== undefined) key.team = input.team;
    if (input.owner !== undefined) key.owner = input.owner;
    if (input.aliases !== undefined) key.aliases = input.aliases;
    if (input.priority !== undefined) key.priority = input.priority;
    if (input.expiresAt !== undefined) key.expiresAt = input.expiresAt;
    await this.store.create(key);
    await this.changed();
    return { key, secret };
  }

  list(): Promise<StoredKey[]> {
    return this.store.list();
  }

  get(id: string): Promise<StoredKey | undefined> {
    return this.store.get(id);
  }

  async update(id: string, patch: KeyPatch): Promise<StoredKey | undefined> {
    if (patch.priority !== null) this.checkPriority(patch.priority);
    const out = await this.store.update(id, patch, this.now());
    if (out) await this.changed();
    return out;
  }

  async revoke(id: string): Promise<StoredKey | undefined> {
    const out = await this.store.revoke(id, this.now());
    if (out) await this.changed();
    return out;
  }

  /** A new secret for the key; the old one keeps working for `graceMs` (0 = stops at once). Revoked keys stay revoked. */
  async rotate(id: string, graceMs: number): Promise<{ key: StoredKey; secret: string } | undefined> {
    const current = await this.store.get(id);
    if (!current) return undefined;
    if (current.revokedAt !== undefined) throw new KeyAdminError('This key is revoked; create a new key instead of rotating it.');
    const now = this.now();
    const { secret, hash, prefix } = generateKey(this.opts.random);
    const key = await this.store.rotate(id, { hash, prefix }, now + graceMs, now);
    if (!key) return undefined;
    await this.changed();
    return { key, secret };
  }

  /** The key's counters and its team's, with the limits in force; undefined for an unknown id. */
  async usage(id: string): Promise<{ key: StoredKey; usage: SubjectUsage[] } | undefined> {
    if (!this.opts.limits) throw new KeyAdminError('Usage counters live in the running gateway: ask its admin API (GET /admin/keys/{id}/usage).');
    const key = await this.store.get(id);
    if (!key) return undefined;
    return { key, usage: await this.opts.limits.usage(rulesFor(key, this.opts.settings), this.now()) };
  }

  /** The limits in force for a key: its own over guard.default_limits. */
  effectiveLimits(key: StoredKey) {
    const { subject: _subject, ...limits } = rulesFor(key, this.opts.settings)[0]!;
    return limits;
  }

  private checkPriority(p: string | undefined): void {
    if (p === undefined) return;
    const names = this.opts.settings.priorities.map((c) => c.name);
    if (!names.includes(p)) throw new KeyAdminError(`unknown priority class "${p}"; configured: ${names.join(', ')}`, 'priority');
  }

  private async changed(): Promise<void> {
    if (this.opts.onChange) await this.opts.onChange();
  }
}
