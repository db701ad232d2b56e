/** The simulated providers by kind. */
import { anthropicWire } from './anthropic-wire.js';
import { SimServer, type SimOptions } from './engine.js';
import { geminiWire } from './gemini-wire.js';
import { openaiWire } from './openai-wire.js';
import type { SimWire } from './wire.js';

export type SimKind = 'openai' | 'anthropic' | 'gemini';

const WIRES: Record<SimKind, SimWire> = { openai: openaiWire, anthropic: anthropicWire, gemini: geminiWire };

/** The path a provider's base_url needs on top of the sim's origin. */
export const SIM_BASE_PATH: Record<SimKind, string> = { openai: '/v1', anthropic: '', gemini: '/v1beta' };

export function createSim(kind: SimKind, opts?: SimOptions): SimServer {
  return new SimServer(WIRES[kind], opts);
}

export { SimServer, type SimDecision, type SimOptions, type SimRequestInfo } from './engine.js';
export type { FaultRule, SimFault } from './faults.js';
