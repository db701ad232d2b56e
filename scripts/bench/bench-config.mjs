/**
 * The gateway's config in every benchmark: one provider of the upstream's type (fake key) and the
 * alias 'bench', as the YAML a user would write. Base URLs follow src/sim/index.ts SIM_BASE_PATH:
 * OpenAI's includes /v1, Anthropic's is the origin. `switchyard serve` reads it from a file; the
 * A/B bench child parses the same text with the gateway's own config parser.
 */
export function benchConfigYaml(upstreamOrigin, format) {
  const provider =
    format === 'anthropic'
      ? `{ name: sim, type: anthropic, base_url: "${upstreamOrigin}", api_key: sk-ant-bench-FAKE }`
      : `{ name: sim, type: openai, base_url: "${upstreamOrigin}/v1", api_key: sk-bench-FAKE }`;
  const model = format === 'anthropic' ? 'claude-3-5-haiku-latest' : 'gpt-4o-mini';
  return `server: { host: 127.0.0.1, port: 0 }\nproviders:\n  - ${provider}\nmodels:\n  - name: bench\n    targets:\n      - { provider: sim, model: ${model} }\n`;
}
