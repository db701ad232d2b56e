/**
 * Google OAuth access tokens for Vertex AI through google-auth-library (the library Google's own
 * Node SDKs and the Anthropic Vertex SDK use), scope cloud-platform: from a credentials JSON file
 * named in the configuration (a service account key, an authorized-user or external-account
 * file), else Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud's ADC file,
 * or the metadata server on Google Cloud).
 *
 * The provider keeps the token (RefreshingCredential, injected clock) and asks for a new one
 * before it expires. The library's own cache, on the wall clock, is told to treat every token as
 * expiring (eagerRefreshThresholdMillis), so each ask really fetches a fresh token and the
 * provider's cache alone decides when. Tokens are only ever put in an Authorization header:
 * never in a message, a log line or an error.
 */
import { GoogleAuth, type GoogleAuthOptions } from 'google-auth-library';
import type { Clock } from '../../core/clock.js';
import type { Expiring } from '../refreshing-credential.js';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/** Google access tokens live an hour; one whose expiry the library does not report is used for less. */
const ASSUMED_LIFETIME_MS = 45 * 60_000;
/** Longer than any token lives: the library refreshes on every ask (the provider's cache asks rarely). */
const ALWAYS_REFRESH_MS = 1e15;

export interface GoogleTokenOptions {
  credentialsFile?: string | undefined;
  env: Record<string, string | undefined>;
  clock: Clock;
  /** Options passed to the library's client (tests: a transport that never leaves the process). */
  clientOptions?: GoogleAuthOptions['clientOptions'];
}

export function googleTokenSource(opts: GoogleTokenOptions): () => Promise<Expiring<string>> {
  const file = opts.credentialsFile ?? (opts.env.GOOGLE_APPLICATION_CREDENTIALS || undefined);
  const auth = new GoogleAuth({
    scopes: [CLOUD_PLATFORM_SCOPE],
    ...(file ? { keyFilename: file } : {}),
    clientOptions: { eagerRefreshThresholdMillis: ALWAYS_REFRESH_MS, ...opts.clientOptions },
  });
  return async () => {
    const client = await auth.getClient();
    const { token } = await client.getAccessToken();
    if (typeof token !== 'string' || token === '') throw new Error('Google returned no access token');
    const expiry = client.credentials.expiry_date;
    return { value: token, expiresAt: typeof expiry === 'number' ? expiry : opts.clock.now() + ASSUMED_LIFETIME_MS };
  };
}
