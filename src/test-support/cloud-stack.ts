/**
 * Test stack with the clouds: the three vendor simulators plus simulated AWS Bedrock, Vertex AI
 * (Claude and Gemini) and Azure OpenAI, and a gateway in front (sim/gateway-config.ts names the
 * providers and aliases), every request each simulator received kept for inspection.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { createGateway, type Gateway } from '../gateway/gateway.js';
import { createLogger } from '../http/logger.js';
import { createSim, SimServer, type SimKind } from '../sim/index.js';
import { simGatewayConfig } from '../sim/gateway-config.js';
import type { SimWire } from '../sim/wire.js';
import type { GatewayConfig } from '../config/types.js';
import type { StackOptions } from './stack.js';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface CloudStack {
  url: string;
  gateway: Gateway;
  sims: Record<SimKind, SimServer>;
  /** What each simulator received, in order. */
  seen: Record<SimKind, SeenRequest[]>;
  config: GatewayConfig;
  close(): Promise<void>;
}

const KINDS: SimKind[] = ['openai', 'anthropic', 'gemini', 'bedrock', 'vertex-anthropic', 'vertex-gemini', 'azure'];

export async function startCloudStack(opts: StackOptions & { wires?: Partial<Record<SimKind, SimWire>> } = {}): Promise<CloudStack> {
  const seen = Object.fromEntries(KINDS.map((k) => [k, [] as SeenRequest[]])) as Record<SimKind, SeenRequest[]>;
  const sims = Object.fromEntries(
    KINDS.map((k) => {
      const simOpts = { ...opts.sim, onRequest: (r: SeenRequest) => void seen[k].push(r) };
      const wire = opts.wires?.[k];
      return [k, wire ? new SimServer(wire, simOpts) : createSim(k, simOpts)];
    }),
  ) as Record<SimKind, SimServer>;
  const origins = Object.fromEntries(await Promise.all(KINDS.map(async (k) => [k, await sims[k].start()] as const)));
  let config = simGatewayConfig(origins);
  if (opts.configure) config = opts.configure(config);
  const lines = opts.logLines;
  const logger = lines ? createLogger('debug', { write: (s: string) => void lines.push(s) }) : createLogger('silent');
  const gateway = await createGateway(config, { logger, ...(opts.clock ? { clock: opts.clock } : {}) });
  const url = await gateway.listen();
  return {
    url,
    gateway,
    sims,
    seen,
    config,
    async close() {
      await gateway.close();
      await Promise.all(Object.values(sims).map((s) => s.stop()));
    },
  };
}
