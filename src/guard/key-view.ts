/**
 * Keys and their usage as the admin API and the CLI show them (JSON, snake_case). A view never
 * carries the hash (it would let anyone who reads an admin response test guesses offline, and
 * it is nobody's business) nor anything about provider credentials.
 */
import type { KeyLimits, StoredKey } from '../storage/key-store.js';
import type { SubjectUsage } from '../storage/limit-store.js';

export type KeyStatus = 'active' | 'revoked' | 'expired';

export function keyStatus(k: StoredKey, now: number): KeyStatus {
  if (k.revokedAt !== undefined) return 'revoked';
  if (k.expiresAt !== undefined && now >= k.expiresAt) return 'expired';
  return 'active';
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
const usd = (micros: number) => micros / 1_000_000;

export function limitsView(l: KeyLimits): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (l.requestsPerMinute !== undefined) out.requests_per_minute = l.requestsPerMinute;
  if (l.tokensPerMinute !== undefined) out.tokens_per_minute = l.tokensPerMinute;
  if (l.concurrentRequests !== undefined) out.concurrent_requests = l.concurrentRequests;
  if (l.budget) out.budget = { usd: usd(l.budget.micros), period: l.budget.period };
  return out;
}

export function keyView(k: StoredKey, now: number, effective?: KeyLimits): Record<string, unknown> {
  return {
    id: k.id,
    object: 'virtual_key',
    name: k.name,
    prefix: `${k.prefix}…`,
    status: keyStatus(k, now),
    team: k.team ?? null,
    owner: k.owner ?? null,
    aliases: k.aliases ?? null,
    priority: k.priority ?? null,
    expires_at: iso(k.expiresAt),
    metadata: k.metadata,
    limits: limitsView(k.limits),
    ...(effective ? { effective_limits: limitsView(effective) } : {}),
    created_at: iso(k.createdAt),
    updated_at: iso(k.updatedAt),
    revoked_at: iso(k.revokedAt),
    rotation: k.previous && k.previous.validUntil > now ? { previous_prefix: `${k.previous.prefix}…`, previous_valid_until: iso(k.previous.validUntil) } : null,
  };
}

export function usageView(u: SubjectUsage): Record<string, unknown> {
  const limited = (used: number, limit: number | undefined, resetMs: number) => ({
    used,
    limit: limit ?? null,
    remaining: limit === undefined ? null : Math.max(0, limit - used),
    reset_ms: resetMs,
  });
  return {
    subject: u.subject,
    window_seconds: 60,
    requests: limited(u.requests, u.requestsLimit, u.requestsResetMs),
    tokens: limited(u.tokens, u.tokensLimit, u.tokensResetMs),
    concurrent: { in_flight: u.concurrent, limit: u.concurrencyLimit ?? null },
    budget:
      u.budgetMicros === undefined
        ? null
        : { period: u.budgetPeriod, spent_usd: usd(u.spentMicros), limit_usd: usd(u.budgetMicros), remaining_usd: usd(Math.max(0, u.budgetMicros - u.spentMicros)), resets_at: iso(u.budgetResetAt) },
  };
}
