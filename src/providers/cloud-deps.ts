/**
 * What a cloud provider may be given besides what every provider gets (providers/types.ts
 * ProviderDeps): the environment the credential chains read, and (tests) sources of credentials in
 * place of the real chains. Production passes neither: process.env, the real chains.
 */
import type { AwsCredentials } from './bedrock/aws-credentials.js';
import type { Expiring } from './refreshing-credential.js';

export interface CloudDeps {
  env?: Record<string, string | undefined>;
  /** AWS credentials in place of the standard chain. */
  awsCredentials?: () => Promise<Expiring<AwsCredentials>>;
  /** Google OAuth access tokens in place of google-auth-library. */
  googleToken?: () => Promise<Expiring<string>>;
}
