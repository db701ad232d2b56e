/**
 * The OpenTelemetry GenAI semantic conventions' names, as Prometheus spells them (dots become
 * underscores, a unit of seconds becomes the `_seconds` suffix, an annotation unit like `{token}`
 * is dropped: the OTel Prometheus exporter's rules). Bucket boundaries are the conventions'
 * advice, so dashboards built for any GenAI instrumentation read ours.
 * Source: open-telemetry/semantic-conventions, docs/gen-ai/gen-ai-metrics.md.
 */

export const GEN_AI = {
  /** Per upstream attempt: input and output tokens (histogram, {token}). */
  clientTokenUsage: 'gen_ai_client_token_usage',
  /** Per upstream attempt: its duration (histogram, s). */
  clientOperationDuration: 'gen_ai_client_operation_duration_seconds',
  /** Per client request: the whole request as the gateway served it (histogram, s). */
  serverRequestDuration: 'gen_ai_server_request_duration_seconds',
  /** Per client request: time to the first token the client received (histogram, s). */
  serverTimeToFirstToken: 'gen_ai_server_time_to_first_token_seconds',
} as const;

/** Attribute names: gen_ai.operation.name and friends. */
export const ATTR = {
  operation: 'gen_ai_operation_name',
  provider: 'gen_ai_provider_name',
  requestModel: 'gen_ai_request_model',
  responseModel: 'gen_ai_response_model',
  tokenType: 'gen_ai_token_type',
  errorType: 'error_type',
} as const;

/**
 * The same measures under the conventions' own names and units, for OTLP export, where no
 * Prometheus spelling applies (a GenAI dashboard over OTLP looks for `gen_ai.client.token.usage`).
 */
export const GEN_AI_OTEL: Readonly<Record<string, { name: string; unit: string }>> = {
  [GEN_AI.clientTokenUsage]: { name: 'gen_ai.client.token.usage', unit: '{token}' },
  [GEN_AI.clientOperationDuration]: { name: 'gen_ai.client.operation.duration', unit: 's' },
  [GEN_AI.serverRequestDuration]: { name: 'gen_ai.server.request.duration', unit: 's' },
  [GEN_AI.serverTimeToFirstToken]: { name: 'gen_ai.server.time_to_first_token', unit: 's' },
};

/** Attribute names back in the conventions' dotted form, for OTLP export. */
export const ATTR_OTEL: Readonly<Record<string, string>> = {
  [ATTR.operation]: 'gen_ai.operation.name',
  [ATTR.provider]: 'gen_ai.provider.name',
  [ATTR.requestModel]: 'gen_ai.request.model',
  [ATTR.responseModel]: 'gen_ai.response.model',
  [ATTR.tokenType]: 'gen_ai.token.type',
  [ATTR.errorType]: 'error.type',
};

export const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
export const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
export const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0];

/**
 * gen_ai.provider.name for a Switchyard provider type: the conventions' well-known value where
 * one applies ("MUST be used"), else the type itself (`openai-compatible`: Perplexity, Ollama, vLLM...).
 */
const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  bedrock: 'aws.bedrock',
  'vertex-anthropic': 'gcp.vertex_ai',
  'vertex-gemini': 'gcp.vertex_ai',
  'azure-openai': 'azure.ai.openai',
};

export function genAiProviderName(providerType: string): string {
  return PROVIDER_NAMES[providerType] ?? providerType;
}
