/**
 * The simulated Anthropic API's reading of structured output and extended thinking, with the
 * 400s the Messages API answers (structured-outputs and extended-thinking guides):
 * `output_config.format` (or the beta's top-level `output_format`) must be a json_schema with a
 * schema; `thinking.budget_tokens` must be at least 1,024 and below `max_tokens`; with thinking on,
 * `temperature` may only be 1, `top_p` 0.95 to 1, `tool_choice` may not force a tool, an assistant
 * prefill is refused, and an assistant turn inside a tool loop must start with its thinking block.
 */
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface AnthropicAnswerOptions {
  schema?: Obj;
  thinking: boolean;
}

function formatOf(v: unknown, at: string): { schema?: Obj } | { error: string } {
  if (v === undefined || v === null) return {};
  if (!isObj(v) || v.type !== 'json_schema') return { error: `${at}.type: Input should be 'json_schema'` };
  if (!isObj(v.schema)) return { error: `${at}.schema: Field required` };
  return { schema: v.schema };
}

/** The last assistant turn, when the conversation ends inside it (a tool loop or a prefill). */
function openAssistantTurn(messages: Obj[]): { index: number; content: unknown } | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'assistant') return { index: i, content: m.content };
    const blocks = Array.isArray(m.content) ? m.content : [];
    // A user turn of tool results continues the assistant turn before it; any other user turn ends it.
    if (blocks.length === 0 || !blocks.every((b) => isObj(b) && b.type === 'tool_result')) return undefined;
  }
  return undefined;
}

export function readAnswerOptions(body: Obj, messages: Obj[]): AnthropicAnswerOptions | { error: string } {
  const legacy = formatOf(body.output_format, 'output_format');
  if ('error' in legacy) return legacy;
  const oc = body.output_config;
  if (oc !== undefined && oc !== null && !isObj(oc)) return { error: 'output_config: Input should be a valid dictionary' };
  const current = formatOf(isObj(oc) ? oc.format : undefined, 'output_config.format');
  if ('error' in current) return current;
  const schema = current.schema ?? legacy.schema;
  const th = body.thinking;
  if (!isObj(th) || th.type !== 'enabled') return schema ? { schema, thinking: false } : { thinking: false };

  const budget = th.budget_tokens;
  if (typeof budget !== 'number' || !Number.isInteger(budget)) return { error: 'thinking.enabled.budget_tokens: Field required' };
  if (budget < 1024) return { error: 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024' };
  if (typeof body.max_tokens === 'number' && body.max_tokens <= budget) return { error: '`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size' };
  if (body.temperature !== undefined && body.temperature !== 1) return { error: '`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility' };
  if (typeof body.top_p === 'number' && body.top_p < 0.95) return { error: '`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility' };
  const tc = body.tool_choice;
  if (isObj(tc) && (tc.type === 'any' || tc.type === 'tool')) return { error: 'Thinking may not be enabled when tool_choice forces tool use.' };
  const open = openAssistantTurn(messages);
  if (open) {
    const first: unknown = Array.isArray(open.content) ? open.content[0] : { type: 'text' };
    const type = isObj(first) ? first.type : undefined;
    if (type !== 'thinking' && type !== 'redacted_thinking') {
      return { error: `messages.${open.index}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(type)}\`. When \`thinking\` is enabled, a final \`assistant\` message must start with a thinking block (preceeding the lastmost set of \`tool_use\` and \`tool_result\` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable \`thinking\`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking` };
    }
  }
  return schema ? { schema, thinking: true } : { thinking: true };
}
