/**
 * `switchyard demo`: three simulated providers on loopback plus a gateway in
 * front of them, and copy-paste commands to try. No network, no keys: the
 * simulators accept any non-empty key and the config uses obvious fakes.
 */
import { createGateway } from '../http/server.js';
import { simGatewayConfig } from '../sim/gateway-config.js';
import { createSim, type SimKind, type SimServer } from '../sim/index.js';
import { parseCommandArgs } from './args.js';
import { parsePort, UsageError, type CliIo } from './io.js';
import { listenOrExplain, runUntilStopped } from './lifecycle.js';

export const DEMO_OPTIONS = {
  port: { type: 'string', short: 'p' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HOST = '127.0.0.1';
const KINDS: SimKind[] = ['openai', 'anthropic', 'gemini'];

export async function runDemo(args: string[], io: CliIo): Promise<number> {
  const values = parseCommandArgs('demo', args, DEMO_OPTIONS);
  const port = parsePort(values.port, 'demo') ?? envPort(io.env.PORT) ?? 4000;

  const sims = new Map<SimKind, SimServer>(KINDS.map((k) => [k, createSim(k, { host: HOST, port: 0 })]));
  const stopSims = async () => {
    await Promise.all([...sims.values()].map((s) => s.stop()));
  };
  const origins: Partial<Record<SimKind, string>> = {};
  try {
    for (const [kind, sim] of sims) origins[kind] = await sim.start();
  } catch (e) {
    await stopSims();
    throw e;
  }

  const config = simGatewayConfig(origins, { host: HOST, port });
  config.source = 'demo (simulated providers)';
  const gw = await createGateway(config, io.logger ? { logger: io.logger } : {});
  const url = await listenOrExplain(gw, HOST, port, io);
  if (url === undefined) {
    await stopSims();
    return 1;
  }
  io.stdout.write(demoText(url, origins, config.models.map((m) => m.name)));
  return runUntilStopped(io, gw, stopSims);
}

function envPort(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return parsePort(value, 'demo');
  } catch {
    throw new UsageError(`invalid PORT "${value}": expected an integer from 0 to 65535`, 'demo');
  }
}

export function demoText(url: string, origins: Partial<Record<SimKind, string>>, models: string[]): string {
  const chat = JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'Hello!' }] });
  const stream = JSON.stringify({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'Tell me a story.' }] });
  const openaiOrigin = origins.openai ?? '';
  return `
Switchyard demo: a gateway in front of three simulated providers (no network, no keys).

  simulated OpenAI     ${origins.openai ?? '-'}/v1
  simulated Anthropic  ${origins.anthropic ?? '-'}
  simulated Gemini     ${origins.gemini ?? '-'}/v1beta

Gateway: ${url}
Models:  ${models.join(', ')}
  chat = openai -> anthropic -> gemini; claude = anthropic first; gemini = gemini first

Try it:

  # A chat answer (JSON)
  curl -s ${url}/v1/chat/completions -H 'Content-Type: application/json' \\
    -d '${chat}'

  # The same, streamed (server-sent events)
  curl -sN ${url}/v1/chat/completions -H 'Content-Type: application/json' \\
    -d '${stream}'

  # With the OpenAI SDK (npm i openai), any API key works:
  import OpenAI from 'openai';
  const client = new OpenAI({ baseURL: '${url}/v1', apiKey: 'anything' });
  const r = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'Hello!' }] });
  console.log(r.choices[0].message.content);

  # With the Anthropic SDK: new Anthropic({ baseURL: '${url}', apiKey: 'anything' })
  # and client.messages.create({ model: 'claude', max_tokens: 256, messages: [...] })

  # Take the simulated OpenAI down, then ask again: the answer comes from Anthropic
  # (see the x-switchyard-provider response header with curl -i). Bring it back with -d '[]'.
  curl -s -X PUT ${openaiOrigin}/_sim/faults -d '[{"fault":{"kind":"status","status":503}}]'

Press Ctrl-C to stop.
`;
}
