/**
 * Which scenario entry plays each provider of a configuration. An entry's `match` names a
 * provider of the configuration, `primary` (the provider the first drilled alias tries
 * first), or a vendor: the provider's type, or for openai-compatible servers the vendor their
 * base URL belongs to (Perplexity, Azure OpenAI, ...). Names win over `primary`, which wins
 * over vendors.
 */
import type { GatewayConfig } from '../config/types.js';
import type { ProviderConfig } from '../providers/types.js';
import type { SimKind } from '../sim/index.js';
import type { ProviderScenario } from './scenario.js';

const HOST_VENDORS: [RegExp, string][] = [
  [/(^|\.)perplexity\.ai$/, 'perplexity'],
  [/\.openai\.azure\.com$/, 'azure'],
  [/(^|\.)groq\.com$/, 'groq'],
  [/(^|\.)together\.(xyz|ai)$/, 'together'],
  [/(^|\.)mistral\.ai$/, 'mistral'],
  [/(^|\.)deepseek\.com$/, 'deepseek'],
  [/(^|\.)x\.ai$/, 'xai'],
  [/(^|\.)openai\.com$/, 'openai'],
];

/** The vendor behind a configured provider, or undefined for a server we cannot place (Ollama, vLLM...). */
export function vendorOf(p: ProviderConfig): string | undefined {
  if (p.type !== 'openai-compatible') return p.type;
  let host: string;
  try {
    host = new URL(p.baseUrl).hostname;
  } catch {
    return undefined;
  }
  return HOST_VENDORS.find(([re]) => re.test(host))?.[1];
}

/** The simulator that speaks a provider's wire format. */
export function simKindOf(p: ProviderConfig): SimKind {
  switch (p.type) {
    case 'anthropic':
    case 'gemini':
    case 'bedrock':
    case 'vertex-anthropic':
    case 'vertex-gemini':
      return p.type;
    case 'azure-openai':
      return 'azure';
    default:
      return 'openai';
  }
}

export function entryFor(p: ProviderConfig, entries: readonly ProviderScenario[], primary: string | undefined): ProviderScenario | undefined {
  const vendor = vendorOf(p);
  return entries.find((e) => e.match === p.name) ?? (p.name === primary ? entries.find((e) => e.match === 'primary') : undefined) ?? (vendor ? entries.find((e) => e.match === vendor) : undefined);
}

/** A provider's upstream models in the order the configuration first names them (staggered recovery follows it). */
export function modelsOf(config: GatewayConfig, provider: string): string[] {
  const out: string[] = [];
  for (const m of config.models) for (const t of m.targets) if (t.provider === provider && !out.includes(t.model)) out.push(t.model);
  return out;
}

/** Aliases a drill sends to: the scenario's list, else every alias whose first target is not an embeddings model. */
export function drillAliases(config: GatewayConfig, wanted: readonly string[] | undefined): string[] {
  if (wanted && wanted.length > 0) return [...wanted];
  return config.models.filter((m) => !/embed/i.test(m.targets[0]?.model ?? '')).map((m) => m.name);
}

/** The provider the first drilled alias tries first: `primary` in a scenario. */
export function primaryOf(config: GatewayConfig, aliases: readonly string[]): string | undefined {
  return config.models.find((m) => m.name === aliases[0])?.targets[0]?.provider;
}
