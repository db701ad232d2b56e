/** The secrets a provider's configuration holds, for the redactor that cleans every message leaving the gateway. */
import type { ProviderConfig } from './types.js';

export function providerSecrets(p: ProviderConfig): string[] {
  const out: string[] = [];
  if (p.apiKey) out.push(p.apiKey);
  if (p.awsKeys) {
    out.push(p.awsKeys.secretAccessKey);
    if (p.awsKeys.sessionToken) out.push(p.awsKeys.sessionToken);
  }
  return out;
}
