/**
 * What a cloud provider may be given besides its configuration: the clock that times credential
 * refreshes, the environment the credential chains read, and (tests) sources of credentials in
 * place of the real chains. Production passes nothing: system clock, process.env, real chains.
 */
import type { Clock } from '../core/clock.js';
import type { AwsCredentials } from './bedrock/aws-credentials.js';
import type { Expiring } from './refreshing-credential.js';

export interface CloudDeps {
  clock?: Clock;
  env?: Record<string, string | undefined>;
  /** AWS credentials in place of the standard chain. */
  awsCredentials?: () => Promise<Expiring<AwsCredentials>>;
  /** Google OAuth access tokens in place of google-auth-library. */
  googleToken?: () => Promise<Expiring<string>>;
}
