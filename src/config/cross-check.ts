/**
 * Checks that span entries: unique provider and model names, targets naming
 * defined providers, base_url present where a type has no default. They read
 * the raw (interpolated) tree defensively so they still run when zod found
 * shape problems elsewhere, and ALL problems are reported together.
 */
import { defaultBaseUrl, PROVIDER_TYPES } from '../providers/registry.js';
import type { ProviderType } from '../providers/types.js';
import type { ConfigIssue } from './config-error.js';
import { suggestion } from './did-you-mean.js';
import { CLOUD_TYPES, cloudIssues } from './cloud-schema.js';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function crossCheck(root: unknown): ConfigIssue[] {
  if (!isRecord(root)) return [];
  const issues: ConfigIssue[] = [];

  const providerNames: string[] = [];
  list(root.providers).forEach((p, i) => {
    if (!isRecord(p)) return;
    if (typeof p.name === 'string' && p.name !== '') {
      if (providerNames.includes(p.name)) {
        issues.push({ path: `providers[${i}].name`, message: `duplicate provider name "${p.name}"; provider names must be unique` });
      }
      providerNames.push(p.name);
    }
    const type = p.type;
    // The clouds' endpoints follow from their region or resource (cloud-schema.ts says which is required).
    issues.push(...cloudIssues(p, i));
    if (typeof type === 'string' && (PROVIDER_TYPES as readonly string[]).includes(type) && !CLOUD_TYPES.has(type) && p.base_url === undefined) {
      if (defaultBaseUrl(type as ProviderType) === undefined) {
        issues.push({
          path: `providers[${i}].base_url`,
          message: `required for type ${type}; expected the server's API root, e.g. http://localhost:11434/v1 (Ollama)`,
        });
      }
    }
  });

  const modelNames = new Set<string>();
  list(root.models).forEach((m, i) => {
    if (!isRecord(m)) return;
    if (typeof m.name === 'string' && m.name !== '') {
      if (modelNames.has(m.name)) {
        issues.push({ path: `models[${i}].name`, message: `duplicate model name "${m.name}"; model names must be unique` });
      }
      modelNames.add(m.name);
    }
    list(m.targets).forEach((t, j) => {
      if (!isRecord(t) || typeof t.provider !== 'string' || t.provider === '') return;
      if (!providerNames.includes(t.provider)) {
        const defined = providerNames.length > 0 ? `defined providers: ${providerNames.join(', ')}` : 'no providers are defined';
        issues.push({
          path: `models[${i}].targets[${j}].provider`,
          message: `unknown provider "${t.provider}"${suggestion(t.provider, providerNames)}; ${defined}`,
        });
      }
    });
  });
  return issues;
}
