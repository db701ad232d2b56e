/**
 * The `response` object (openai-node `Response`), shared by the non-streamed
 * answer and the lifecycle events of a stream (response.created / completed /
 * incomplete / failed carry the whole object). Echoed settings come from the
 * canonical request so clients that read them back (tools, tool_choice,
 * temperature...) see what they sent. `output_text` is not sent: it is an SDK
 * convenience the SDK computes itself (ResponsesParser `addOutputText`), not
 * part of the wire object.
 */
import type { ChatRequest } from '../../core/request.js';
import type { FinishReason, Usage } from '../../core/response.js';

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';
export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

export interface OutputText {
  type: 'output_text';
  text: string;
  annotations: never[];
  logprobs: never[];
}

export interface MessageItem {
  id: string;
  type: 'message';
  status: ItemStatus;
  role: 'assistant';
  content: OutputText[];
}

export interface FunctionCallItem {
  id: string;
  type: 'function_call';
  status: ItemStatus;
  arguments: string;
  call_id: string;
  name: string;
}

export type OutputItem = MessageItem | FunctionCallItem;

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export interface ResponseInit {
  id: string;
  /** Unix seconds. */
  createdAt: number;
  model: string;
  status: ResponseStatus;
  output: OutputItem[];
  usage: Usage | null;
  req: ChatRequest;
  incompleteReason?: 'max_output_tokens' | 'content_filter';
  error?: { code: string; message: string };
}

export function outputText(text: string): OutputText {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

/** Finish reasons that make a response `incomplete` (API reference: incomplete_details.reason). */
export function incompleteReason(finish: FinishReason): 'max_output_tokens' | 'content_filter' | undefined {
  if (finish === 'length') return 'max_output_tokens';
  if (finish === 'content_filter') return 'content_filter';
  return undefined;
}

export function toResponsesUsage(u: Usage): ResponsesUsage {
  return {
    input_tokens: u.inputTokens,
    // cache_write_tokens has no canonical source; 0 is what OpenAI reports without explicit caching.
    input_tokens_details: { cached_tokens: u.cachedInputTokens ?? 0, cache_write_tokens: 0 },
    output_tokens: u.outputTokens,
    // Reasoning output is not carried through the canonical model, so none is billed here.
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.inputTokens + u.outputTokens,
  };
}

export function responseObject(r: ResponseInit): Record<string, unknown> {
  const req = r.req;
  return {
    id: r.id,
    object: 'response',
    created_at: r.createdAt,
    status: r.status,
    background: false,
    completed_at: r.status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    error: r.error ?? null,
    incomplete_details: r.incompleteReason ? { reason: r.incompleteReason } : null,
    // `instructions` became the leading system message; the canonical request doesn't keep them apart.
    instructions: null,
    max_output_tokens: req.maxTokens ?? null,
    metadata: {},
    // The upstream model that really answered, not the client's alias: honest about failover.
    model: r.model,
    output: r.output,
    parallel_tool_calls: req.parallelToolCalls ?? true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    temperature: req.temperature ?? 1,
    text: { format: textFormat(req) },
    tool_choice: toolChoice(req),
    tools: (req.tools ?? []).map((t) => ({
      type: 'function',
      name: t.name,
      description: t.description ?? null,
      parameters: t.parameters,
      strict: null,
    })),
    top_p: req.topP ?? 1,
    truncation: 'disabled',
    usage: r.usage ? toResponsesUsage(r.usage) : null,
    ...(req.user === undefined ? {} : { user: req.user }),
  };
}

function textFormat(req: ChatRequest): Record<string, unknown> {
  const f = req.responseFormat;
  if (!f || f.type !== 'json_schema') return { type: f?.type ?? 'text' };
  return { type: 'json_schema', name: f.name, schema: f.schema, strict: f.strict ?? null };
}

function toolChoice(req: ChatRequest): unknown {
  const c = req.toolChoice ?? 'auto';
  return typeof c === 'string' ? c : { type: 'function', name: c.name };
}
