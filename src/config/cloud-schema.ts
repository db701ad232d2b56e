/**
 * The provider keys of the clouds that serve the same models (docs/clouds.md): AWS Bedrock,
 * Google Vertex AI, Azure OpenAI. Shapes are checked with the other provider keys (schema.ts);
 * which keys a type needs, and which it cannot use, are checked here, against the raw tree, so
 * every problem is reported at once. Secret values are never echoed.
 */
import { z } from 'zod';
import type { ProviderConfig, ProviderType } from '../providers/types.js';
import type { ConfigIssue } from './config-error.js';

const str = (what: string) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? `missing; expected ${what}` : `expected ${what}`) })
    .trim()
    .min(1, { error: `must not be empty; expected ${what}` });
const idMap = (what: string) => z.record(z.string(), str(what), { error: `expected a mapping of model names to ${what}` });

export const cloudProviderFields = {
  region: str('a region, e.g. us-east-1 (Bedrock) or us-east5 / global (Vertex AI)').optional(),
  project: str('a Google Cloud project id').optional(),
  profile: str('an AWS profile name').optional(),
  access_key_id: str('an AWS access key id, usually ${AWS_ACCESS_KEY_ID}').optional(),
  secret_access_key: str('an AWS secret access key, usually ${AWS_SECRET_ACCESS_KEY}').optional(),
  session_token: str('an AWS session token').optional(),
  inference_profile: str('a Bedrock inference profile prefix: us, eu, apac, global or none').optional(),
  credentials_file: str('the path of a Google credentials JSON file').optional(),
  resource: str('an Azure OpenAI resource name').optional(),
  api_version: str('an Azure OpenAI api-version, e.g. 2024-10-21').optional(),
  deployments: idMap('Azure deployment names').optional(),
  model_ids: idMap('the provider’s own model ids').optional(),
};

export const CLOUD_PROVIDER_KEYS = Object.keys(cloudProviderFields) as (keyof typeof cloudProviderFields)[];
type CloudKey = (typeof CLOUD_PROVIDER_KEYS)[number];
type RawCloud = { [K in CloudKey]?: K extends 'deployments' | 'model_ids' ? Record<string, string> : string };

/** Which cloud keys each type takes; `required` must be present (any one of a list of alternatives). */
const BY_TYPE: Partial<Record<ProviderType, { allowed: CloudKey[]; required: (CloudKey | 'base_url')[][] }>> = {
  bedrock: { allowed: ['region', 'profile', 'access_key_id', 'secret_access_key', 'session_token', 'inference_profile', 'model_ids'], required: [['region']] },
  'vertex-anthropic': { allowed: ['region', 'project', 'credentials_file', 'model_ids'], required: [['region'], ['project']] },
  'vertex-gemini': { allowed: ['region', 'project', 'credentials_file', 'model_ids'], required: [['region'], ['project']] },
  'azure-openai': { allowed: ['resource', 'api_version', 'deployments'], required: [['resource', 'base_url']] },
};

export const CLOUD_TYPES: ReadonlySet<string> = new Set(Object.keys(BY_TYPE));

const EXAMPLE: Record<string, string> = {
  region: 'region: us-east-1',
  project: 'project: my-gcp-project',
  resource: 'resource: my-resource (https://my-resource.openai.azure.com)',
};

/** Type-specific problems of one raw provider entry at `providers[i]`. */
export function cloudIssues(p: Record<string, unknown>, i: number): ConfigIssue[] {
  const type = typeof p.type === 'string' ? p.type : undefined;
  if (type === undefined) return [];
  const rule = BY_TYPE[type as ProviderType];
  const issues: ConfigIssue[] = [];
  for (const key of CLOUD_PROVIDER_KEYS) {
    if (p[key] !== undefined && !rule?.allowed.includes(key)) {
      const takers = Object.entries(BY_TYPE).filter(([, r]) => r.allowed.includes(key)).map(([t]) => t);
      issues.push({ path: `providers[${i}].${key}`, message: `not used by type ${type}; it is for ${takers.join(', ')}` });
    }
  }
  for (const alternatives of rule?.required ?? []) {
    if (alternatives.some((k) => p[k] !== undefined)) continue;
    const first = alternatives[0]!;
    issues.push({ path: `providers[${i}].${first}`, message: `required for type ${type}${alternatives.length > 1 ? ` (or ${alternatives.slice(1).join(', ')})` : ''}; e.g. ${EXAMPLE[first] ?? first}` });
  }
  if ((p.access_key_id === undefined) !== (p.secret_access_key === undefined)) {
    issues.push({ path: `providers[${i}].${p.access_key_id === undefined ? 'access_key_id' : 'secret_access_key'}`, message: 'access_key_id and secret_access_key go together; give both, or neither to use the AWS credential chain' });
  }
  if (p.session_token !== undefined && p.access_key_id === undefined) {
    issues.push({ path: `providers[${i}].session_token`, message: 'needs access_key_id and secret_access_key' });
  }
  return issues;
}

/** Values never echoed in messages (config errors, `check`). */
export function cloudSecrets(p: Record<string, unknown>): string[] {
  return [p.secret_access_key, p.session_token].filter((v): v is string => typeof v === 'string');
}

/** The cloud fields of a validated provider entry, as ProviderConfig has them. */
export function resolveCloudFields(p: RawCloud): Partial<ProviderConfig> {
  const out: Partial<ProviderConfig> = {};
  if (p.region !== undefined) out.region = p.region;
  if (p.project !== undefined) out.project = p.project;
  if (p.profile !== undefined) out.profile = p.profile;
  if (p.access_key_id !== undefined && p.secret_access_key !== undefined) {
    out.awsKeys = { accessKeyId: p.access_key_id, secretAccessKey: p.secret_access_key, ...(p.session_token === undefined ? {} : { sessionToken: p.session_token }) };
  }
  if (p.inference_profile !== undefined) out.inferenceProfile = p.inference_profile;
  if (p.credentials_file !== undefined) out.credentialsFile = p.credentials_file;
  if (p.resource !== undefined) out.resource = p.resource;
  if (p.api_version !== undefined) out.apiVersion = p.api_version;
  const ids = p.deployments ?? p.model_ids;
  if (ids !== undefined) out.modelIds = ids;
  return out;
}
