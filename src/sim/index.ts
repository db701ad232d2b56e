/** The simulated providers by kind. */
import { anthropicWire } from './anthropic-wire.js';
import { azureWire } from './azure-wire.js';
import { createBedrockWire } from './bedrock-wire.js';
import { SimServer, type SimOptions } from './engine.js';
import { geminiWire } from './gemini-wire.js';
import { openaiWire } from './openai-wire.js';
import { createVertexAnthropicWire, createVertexGeminiWire } from './vertex-wire.js';
import type { SimWire } from './wire.js';

export type SimKind = 'openai' | 'anthropic' | 'gemini' | 'bedrock' | 'vertex-anthropic' | 'vertex-gemini' | 'azure';

/** Wires with state of their own (the keys or tokens a simulated cloud accepts) are made per sim. */
const WIRES: Record<SimKind, () => SimWire> = {
  openai: () => openaiWire,
  anthropic: () => anthropicWire,
  gemini: () => geminiWire,
  bedrock: () => createBedrockWire(),
  'vertex-anthropic': () => createVertexAnthropicWire(),
  'vertex-gemini': () => createVertexGeminiWire(),
  azure: () => azureWire,
};

/** The path a provider's base_url needs on top of the sim's origin. */
export const SIM_BASE_PATH: Record<SimKind, string> = { openai: '/v1', anthropic: '', gemini: '/v1beta', bedrock: '', 'vertex-anthropic': '/v1', 'vertex-gemini': '/v1', azure: '/openai' };

export function createSim(kind: SimKind, opts?: SimOptions): SimServer {
  return new SimServer(WIRES[kind](), opts);
}

export { SimServer, type SimDecision, type SimOptions, type SimRequestInfo } from './engine.js';
export type { FaultRule, SimFault } from './faults.js';
