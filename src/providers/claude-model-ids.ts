/**
 * The same Claude model under each cloud's own id, so an alias can list `claude-sonnet-4-5` on
 * Anthropic, Bedrock and Vertex alike: a target's model that is an Anthropic API id (dated, or
 * its undated alias) is sent to Bedrock or Vertex as that cloud's id; any other model (an id the
 * cloud already knows, an ARN, an inference profile) goes as written. Sources: Anthropic's
 * "Models overview" table (columns AWS Bedrock and GCP Vertex AI) and the Bedrock user guide's
 * "Supported cross-Region inference profiles". Update this table, not the code, as models come.
 */

interface ClaudeIds {
  /** Anthropic API ids: the dated one first, then its aliases. */
  anthropic: string[];
  bedrock: string;
  vertex: string;
}

const CLAUDE: readonly ClaudeIds[] = [
  { anthropic: ['claude-opus-4-5-20251101', 'claude-opus-4-5'], bedrock: 'anthropic.claude-opus-4-5-20251101-v1:0', vertex: 'claude-opus-4-5@20251101' },
  { anthropic: ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'], bedrock: 'anthropic.claude-haiku-4-5-20251001-v1:0', vertex: 'claude-haiku-4-5@20251001' },
  { anthropic: ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'], bedrock: 'anthropic.claude-sonnet-4-5-20250929-v1:0', vertex: 'claude-sonnet-4-5@20250929' },
  { anthropic: ['claude-opus-4-1-20250805', 'claude-opus-4-1'], bedrock: 'anthropic.claude-opus-4-1-20250805-v1:0', vertex: 'claude-opus-4-1@20250805' },
  { anthropic: ['claude-opus-4-20250514', 'claude-opus-4-0'], bedrock: 'anthropic.claude-opus-4-20250514-v1:0', vertex: 'claude-opus-4@20250514' },
  { anthropic: ['claude-sonnet-4-20250514', 'claude-sonnet-4-0'], bedrock: 'anthropic.claude-sonnet-4-20250514-v1:0', vertex: 'claude-sonnet-4@20250514' },
  { anthropic: ['claude-3-7-sonnet-20250219', 'claude-3-7-sonnet-latest'], bedrock: 'anthropic.claude-3-7-sonnet-20250219-v1:0', vertex: 'claude-3-7-sonnet@20250219' },
  { anthropic: ['claude-3-5-haiku-20241022', 'claude-3-5-haiku-latest'], bedrock: 'anthropic.claude-3-5-haiku-20241022-v1:0', vertex: 'claude-3-5-haiku@20241022' },
  { anthropic: ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet-latest'], bedrock: 'anthropic.claude-3-5-sonnet-20241022-v2:0', vertex: 'claude-3-5-sonnet-v2@20241022' },
  { anthropic: ['claude-3-haiku-20240307'], bedrock: 'anthropic.claude-3-haiku-20240307-v1:0', vertex: 'claude-3-haiku@20240307' },
];

const BY_ANTHROPIC_ID = new Map(CLAUDE.flatMap((c) => c.anthropic.map((id) => [id, c] as const)));

/**
 * The cross-Region inference profile a Bedrock region's on-demand calls go through (`us.`, `eu.`,
 * `apac.`): current Claude models are served on demand only through one. Other regions get the
 * in-region id; `inference_profile` in the configuration overrides (`global`, `none`, ...).
 */
function geography(region: string): string | undefined {
  if (region.startsWith('us-')) return 'us';
  if (region.startsWith('eu-')) return 'eu';
  if (region.startsWith('ap-')) return 'apac';
  return undefined;
}

/** What a Bedrock target's model is sent as. `ids` (the provider's `model_ids`) wins. */
export function bedrockModelId(model: string, opts: { region?: string | undefined; inferenceProfile?: string | undefined; ids?: Record<string, string> | undefined }): string {
  const own = opts.ids?.[model];
  if (own !== undefined) return own;
  const known = BY_ANTHROPIC_ID.get(model);
  if (!known) return model;
  const profile = opts.inferenceProfile ?? geography(opts.region ?? '');
  return profile === undefined || profile === 'none' || profile === '' ? known.bedrock : `${profile}.${known.bedrock}`;
}

/** What a Vertex AI Claude target's model is sent as. `ids` (the provider's `model_ids`) wins. */
export function vertexClaudeModelId(model: string, ids?: Record<string, string>): string {
  return ids?.[model] ?? BY_ANTHROPIC_ID.get(model)?.vertex ?? model;
}
