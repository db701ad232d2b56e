/**
 * The one discriminated union every stream is translated through (DESIGN.md
 * principle 2). Decoders emit these in order; encoders turn them into a
 * client's wire format.
 *
 * Contract for decoders:
 * - `start` comes first, exactly once;
 * - `text` and tool-call events follow in the order the model produced them;
 *   `tool-call-delta` always refers to an `index` announced by `tool-call-start`;
 * - `finish` comes last, exactly once, carrying the final usage if known.
 * Encoders close any open content block when a new one starts or at `finish`.
 */
import type { FinishReason, Usage } from './response.js';

export interface StartEvent {
  type: 'start';
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  /** Prompt tokens, when the upstream reports them up front (Anthropic does). */
  inputTokens?: number;
}

/**
 * Facts about the stream itself that clients should see, e.g. that the answer
 * switched to another target mid-stream. Encoders attach it to the frame as a
 * `switchyard` field.
 */
export type StreamMeta = Record<string, string | number | boolean>;

export interface TextEvent {
  type: 'text';
  text: string;
  meta?: StreamMeta;
}

export interface ToolCallStartEvent {
  type: 'tool-call-start';
  /** 0-based position of this tool call among the answer's tool calls. */
  index: number;
  id: string;
  name: string;
}

export interface ToolCallDeltaEvent {
  type: 'tool-call-delta';
  index: number;
  /** A fragment of the arguments' JSON text. */
  args: string;
}

export interface FinishEvent {
  type: 'finish';
  finishReason: FinishReason;
  stopSequence?: string;
  usage?: Usage;
  meta?: StreamMeta;
}

export type StreamEvent = StartEvent | TextEvent | ToolCallStartEvent | ToolCallDeltaEvent | FinishEvent;
