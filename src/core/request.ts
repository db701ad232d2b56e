/**
 * The canonical chat request: every ingress format decodes into it and every
 * upstream format encodes from it (hub and spoke, DESIGN.md principle 2).
 */

export interface TextPart {
  type: 'text';
  text: string;
}

export type ImageSource =
  | { kind: 'url'; url: string }
  | { kind: 'base64'; mediaType: string; data: string };

export interface ImagePart {
  type: 'image';
  source: ImageSource;
  /** OpenAI's `detail` hint; other formats ignore it. */
  detail?: 'auto' | 'low' | 'high';
  /**
   * Where the client wrote this image's URL in its own request (`messages[0].content[1].image_url.url`,
   * `input[2].content[0].image_url`), set by decoders for URL images, the kind an upstream may refuse:
   * the error then names the client's field, not a canonical index (which shifts once a system
   * prompt or tool results move).
   */
  path?: string;
}

export type ContentPart = TextPart | ImagePart;

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as JSON text, exactly as the model produced them. */
  arguments: string;
}

export interface SystemMessage {
  role: 'system';
  content: TextPart[];
}

export interface UserMessage {
  role: 'user';
  content: ContentPart[];
}

export interface AssistantMessage {
  role: 'assistant';
  content: TextPart[];
  toolCalls?: ToolCall[];
}

export interface ToolResultMessage {
  role: 'tool';
  toolCallId: string;
  /** Known when the client format carries it (Anthropic does not, OpenAI does not); encoders look it up from the matching call otherwise. */
  toolName?: string;
  content: ContentPart[];
  isError?: boolean;
}

export type Message = SystemMessage | UserMessage | AssistantMessage | ToolResultMessage;

export interface ToolDef {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean };

/**
 * How hard a reasoning model should think before it answers, in OpenAI's `reasoning_effort`
 * vocabulary (openai-node `Shared.ReasoningEffort`); Anthropic's `output_config.effort` uses the
 * same words (low, medium, high, xhigh, max). Each format maps it to its own control
 * (core/reasoning-budget.ts has the token budgets), or refuses it where it has none.
 */
export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

export const REASONING_EFFORTS: readonly ReasoningEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'];

export interface ChatRequest {
  /** The model alias the client asked for. */
  model: string;
  messages: Message[];
  tools?: ToolDef[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  responseFormat?: ResponseFormat;
  reasoningEffort?: ReasoningEffort;
  /**
   * Where the client wrote what `responseFormat` and `reasoningEffort` came from
   * (`output_config.format`, `reasoning.effort`), when not the OpenAI Chat Completions name: the
   * error of a target that can't honour it names the client's own field. Keys are
   * `responseFormat` and `reasoningEffort`.
   */
  paths?: { responseFormat?: string; reasoningEffort?: string };
  /**
   * Client fields that ask for output the canonical answer has no place for (log probabilities,
   * audio, web-search annotations), by the client's own name. Only a target of the client's own
   * format, which forwards its body and the upstream's bytes as they are, can honour them: every
   * encoder refuses a request that carries any, so the router moves on to a target that can, or
   * the client gets a 400 naming the field, never an answer without what it asked for.
   */
  sameFormatOnly?: string[];
  stream: boolean;
  /** Streaming only: the client asked for a usage report at the end. */
  includeUsage: boolean;
  /**
   * The id the client's answer will carry where its format's answers have ids of the gateway's
   * making (Responses: `resp_…`), chosen before the answer so the journal can store it under that
   * id. Absent: the encoder makes one.
   */
  responseId?: string;
  user?: string;
}

/** Name of the tool call with this id, from the conversation so far (for formats that key results by name). */
export function toolNameForCall(messages: Message[], callId: string): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'assistant' && m.toolCalls) {
      const hit = m.toolCalls.find((c) => c.id === callId);
      if (hit) return hit.name;
    }
  }
  return undefined;
}

/**
 * The user turn that asks a model without assistant prefill to continue a
 * partial answer (mid-stream recovery on OpenAI-style targets). Simulators
 * recognise it, so drills can check continuations word for word.
 */
export const CONTINUE_INSTRUCTION =
  'Your previous message was cut off. Continue it exactly where it stopped: do not repeat any of it, do not add a preamble.';
