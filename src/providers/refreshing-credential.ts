/**
 * A credential that expires (AWS session credentials, Google OAuth access tokens): fetched on
 * first use, kept by the provider instance that owns this object (never module-wide: two
 * gateways in one process share nothing), and fetched again ahead of its expiry, by the injected
 * clock, so no request goes out with a credential about to lapse in flight. One fetch at a time:
 * requests that arrive during a refresh wait for it.
 */
import type { Clock } from '../core/clock.js';
import { gatewayError, GatewayError } from '../core/errors.js';

export interface Expiring<T> {
  value: T;
  /** When it lapses (ms since the epoch); undefined: it does not (static keys). */
  expiresAt?: number;
}

/** Refresh this long before expiry by default: AWS SDKs and google-auth-library both use 5 minutes. */
export const REFRESH_AHEAD_MS = 5 * 60_000;

export class RefreshingCredential<T> {
  private current: (Expiring<T> & { fetchedAt: number }) | undefined;
  private pending: Promise<T> | undefined;

  constructor(
    private readonly fetch: () => Promise<Expiring<T>>,
    private readonly clock: Clock,
    private readonly aheadMs = REFRESH_AHEAD_MS,
  ) {}

  get(): Promise<T> {
    const c = this.current;
    if (c && !this.due(c)) return Promise.resolve(c.value);
    return (this.pending ??= this.refresh());
  }

  /** Forget the credential (the upstream rejected it): the next get() fetches anew. */
  invalidate(): void {
    this.current = undefined;
  }

  /** Due for refresh: within `aheadMs` of expiry, or past half its life for one shorter-lived than that. */
  private due(c: Expiring<T> & { fetchedAt: number }): boolean {
    if (c.expiresAt === undefined) return false;
    const ahead = Math.min(this.aheadMs, (c.expiresAt - c.fetchedAt) / 2);
    return this.clock.now() >= c.expiresAt - ahead;
  }

  private refresh(): Promise<T> {
    const fetchedAt = this.clock.now();
    return this.fetch().then(
      (v) => {
        this.pending = undefined;
        this.current = { ...v, fetchedAt };
        return v.value;
      },
      (e: unknown) => {
        this.pending = undefined;
        // A refresh ahead of expiry that failed: the credential in hand is still good until it lapses.
        const c = this.current;
        if (c && (c.expiresAt === undefined || this.clock.now() < c.expiresAt)) return c.value;
        throw e;
      },
    );
  }
}

/**
 * No credential could be had (none configured, a profile that does not exist, a token endpoint
 * that refused): the target cannot serve, and says so to its breaker and health like a failing
 * upstream would (it stays failed until an operator fixes it); the next target answers. The message names
 * what failed without any credential material: the underlying error's text is reduced to its
 * first line, and its object is not kept (logged causes could carry request configs with tokens).
 */
export function credentialsUnavailable(provider: string, what: string, e: unknown): GatewayError {
  if (e instanceof GatewayError) return e;
  const detail = e instanceof Error ? (e.message.split('\n')[0] ?? '').slice(0, 200) : '';
  return gatewayError('upstream_credentials_unavailable', `${provider}: could not obtain ${what}${detail ? ` (${detail})` : ''}.`, { provider });
}
