/**
 * AWS credentials from the standard sources, in the AWS SDKs' order (AWS SDKs and Tools
 * reference guide, "Standardized credential providers"):
 *
 * 1. keys in the provider's own configuration (`access_key_id` / `secret_access_key` /
 *    `session_token`, usually `${AWS_...}` interpolations);
 * 2. the environment: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN,
 *    AWS_CREDENTIAL_EXPIRATION) — skipped when a profile is named, as the SDKs do;
 * 3. the shared files (~/.aws/credentials and ~/.aws/config, or AWS_SHARED_CREDENTIALS_FILE /
 *    AWS_CONFIG_FILE) for the configured `profile`, else AWS_PROFILE, else `default`, through
 *    @aws-sdk/credential-provider-ini: static keys, session tokens, credential_process,
 *    assume-role, SSO and web identity profiles all work as they do with the AWS CLI.
 *
 * The instance metadata and container endpoints (EC2, ECS) are not consulted: a gateway that
 * probes link-local addresses on every host it runs on is a surprise; on AWS compute name a
 * profile whose `credential_source` says so. `env` is injected (tests; nothing reads
 * process.env behind the caller's back) and the files are read afresh on each fetch
 * (ignoreCache), so the cache is the provider's own RefreshingCredential.
 */
import { fromIni } from '@aws-sdk/credential-provider-ini';
import type { Expiring } from '../refreshing-credential.js';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AwsCredentialOptions {
  /** Keys from the provider's configuration: used as they are. */
  keys?: AwsCredentials;
  /** A named profile of the shared files. */
  profile?: string;
  env: Record<string, string | undefined>;
}

const set = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

function fromEnvironment(env: Record<string, string | undefined>): Expiring<AwsCredentials> | undefined {
  const id = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  if (!set(id) || !set(secret)) return undefined;
  const value: AwsCredentials = { accessKeyId: id, secretAccessKey: secret };
  if (set(env.AWS_SESSION_TOKEN)) value.sessionToken = env.AWS_SESSION_TOKEN;
  const expires = set(env.AWS_CREDENTIAL_EXPIRATION) ? Date.parse(env.AWS_CREDENTIAL_EXPIRATION) : NaN;
  return Number.isFinite(expires) ? { value, expiresAt: expires } : { value };
}

/** Fetches credentials from the first source that has them; rejects (with the SDK's reason) when none has. */
export function awsCredentialSource(opts: AwsCredentialOptions): () => Promise<Expiring<AwsCredentials>> {
  const { keys, env } = opts;
  if (keys) return () => Promise.resolve({ value: keys });
  const profile = set(opts.profile) ? opts.profile : set(env.AWS_PROFILE) ? env.AWS_PROFILE : undefined;
  const files = fromIni({
    profile: profile ?? 'default',
    ...(set(env.AWS_SHARED_CREDENTIALS_FILE) ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
    ...(set(env.AWS_CONFIG_FILE) ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
    ignoreCache: true,
  });
  return async () => {
    if (profile === undefined) {
      const fromEnv = fromEnvironment(env);
      if (fromEnv) return fromEnv;
    }
    const c = await files();
    const value: AwsCredentials = { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey };
    if (c.sessionToken) value.sessionToken = c.sessionToken;
    return c.expiration ? { value, expiresAt: c.expiration.getTime() } : { value };
  };
}
