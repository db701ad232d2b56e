/**
 * `switchyard demo`: simulated providers on loopback (OpenAI, Anthropic, Gemini, and the clouds
 * that serve the same models: AWS Bedrock, Vertex AI, Azure OpenAI) plus a gateway in front of
 * them, and copy-paste commands to try. No network, no keys: the simulators accept any non-empty
 * key (Bedrock: AWS's documentation keys) and the config uses obvious fakes.
 */
import { createSystemClock, type Clock } from '../core/clock.js';
import { createLogger } from '../http/logger.js';
import { breakable, PLAYGROUND_MODES } from '../sim/break-modes.js';
import { createGateway } from '../gateway/gateway.js';
import { SAME_MODEL, SIM_PROVIDER, simGatewayConfig } from '../sim/gateway-config.js';
import { createSim, type SimKind, type SimServer } from '../sim/index.js';
import { DEMO_OUTAGE_TIMINGS, OutageCycle, type OutagePhase, type OutageTimings } from '../sim/outage-cycle.js';
import { parseCommandArgs } from './args.js';
import { DemoTraffic } from './demo-traffic.js';
import { parsePort, UsageError, type CliIo } from './io.js';
import { listenOrExplain, runUntilStopped } from './lifecycle.js';

export const DEMO_OPTIONS = {
  port: { type: 'string', short: 'p' },
  'no-outage': { type: 'boolean' },
  'no-traffic': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** For tests: one clock for gateway, traffic and outage (e.g. scaledClock), and shorter timings. */
export interface DemoRunOptions {
  clock?: Clock;
  outage?: OutageTimings;
  trafficIntervalMs?: number;
}

const HOST = '127.0.0.1';
const KINDS: SimKind[] = ['openai', 'anthropic', 'gemini', 'bedrock', 'vertex-anthropic', 'vertex-gemini', 'azure'];

export async function runDemo(args: string[], io: CliIo, opts: DemoRunOptions = {}): Promise<number> {
  const values = parseCommandArgs('demo', args, DEMO_OPTIONS);
  const port = parsePort(values.port, 'demo') ?? envPort(io.env.PORT) ?? 4000;
  const clock = opts.clock ?? createSystemClock();
  const withTraffic = values['no-traffic'] !== true;
  const withOutage = values['no-outage'] !== true;
  const timings = opts.outage ?? DEMO_OUTAGE_TIMINGS;

  // Words 20 ms apart (on the demo's clock, like everything else): answers stream in as a model's do,
  // so the playground shows a switch in the middle of one.
  const sims = new Map<SimKind, SimServer>(KINDS.map((k) => [k, createSim(k, { host: HOST, port: 0, chunkDelayMs: 20, clock })]));
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
  // Background traffic would bury the printed instructions under request log lines: warn and up only, unless asked.
  const logger = io.logger ?? (withTraffic && !io.env.LOG_LEVEL ? createLogger('warn') : undefined);
  const playground = { aliases: () => config.models.map((m) => m.name), modes: PLAYGROUND_MODES, providers: KINDS.map((k) => breakable(SIM_PROVIDER[k], sims.get(k)!.faults)) };
  const gw = await createGateway(config, { clock, playground, ...(logger ? { logger } : {}) });
  const url = await listenOrExplain(gw, HOST, port, io);
  if (url === undefined) {
    await stopSims();
    return 1;
  }
  io.stdout.write(demoText(url, origins, config.models.map((m) => m.name)));

  const traffic = withTraffic ? new DemoTraffic({ url, clock, ...(opts.trafficIntervalMs ? { intervalMs: opts.trafficIntervalMs } : {}) }) : undefined;
  const started = clock.now();
  const cycle = withOutage
    ? new OutageCycle(sims.get('openai')!.faults, { clock, timings, onChange: (phase) => io.stdout.write(outageLine(phase, clock.now() - started, timings)) })
    : undefined;
  io.stdout.write(statusText(url, { traffic: withTraffic, outage: withOutage }, timings));
  traffic?.start();
  cycle?.start();
  const stopLoops = () => {
    traffic?.stop();
    cycle?.stop();
  };
  // Registered before runUntilStopped's own listener: abort the background requests first, so closing the gateway does not wait for them.
  io.onStop(stopLoops);
  return runUntilStopped(io, gw, async () => {
    stopLoops();
    await stopSims();
  });
}

const clockTime = (ms: number) => {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};
const duration = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 6_000) / 10} min`);

function outageLine(phase: OutagePhase, elapsedMs: number, t: OutageTimings): string {
  return phase.inOutage
    ? `[demo ${clockTime(elapsedMs)}] simulated OpenAI outage #${phase.cycle + 1} begins: mostly 503s, some cut streams and slow answers, for ${duration(t.outageMs)}\n`
    : `[demo ${clockTime(elapsedMs)}] simulated OpenAI outage #${phase.cycle + 1} is over; the next one begins in ${duration(phase.nextChangeInMs)}\n`;
}

/** What the newcomer will see on the status page, and when (timings from DEMO_OUTAGE_TIMINGS and the health policy). */
export function statusText(url: string, on: { traffic: boolean; outage: boolean }, t: OutageTimings): string {
  const lines = [`Status page: ${url}/status  (JSON: ${url}/status/api/v2/summary.json)`, ''];
  if (on.traffic) lines.push('  Background traffic: about 2-3 requests a second over chat, claude and gemini (--no-traffic turns it off).');
  if (on.outage) {
    const end = t.firstAtMs + t.outageMs;
    lines.push(
      `  Simulated outage: the simulated OpenAI fails from ${clockTime(t.firstAtMs)} to ${clockTime(end)} after start, then again every ${duration(t.periodMs)} (--no-outage turns it off).`,
    );
    if (on.traffic) {
      lines.push(
        '  Open the status page now. Within a minute sim-openai turns red, an incident opens, and its share',
        '  in "where traffic went" falls as chat is answered by Anthropic instead. 2-3 minutes after the',
        '  outage ends sim-openai is green again (incident: monitoring); 5 minutes later the incident resolves.',
      );
    } else {
      lines.push('  Without traffic nobody sees it: health comes from requests, so send some (the curl lines above) to watch it.');
    }
  }
  return `${lines.join('\n')}\n\nPress Ctrl-C to stop.\n`;
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
  const sameModel = JSON.stringify({ model: SAME_MODEL, max_tokens: 256, messages: [{ role: 'user', content: 'Hello!' }] });
  return `
Switchyard demo: a gateway in front of simulated providers (no network, no keys).

  simulated OpenAI     ${origins.openai ?? '-'}/v1
  simulated Anthropic  ${origins.anthropic ?? '-'}
  simulated Gemini     ${origins.gemini ?? '-'}/v1beta
  simulated Bedrock    ${origins.bedrock ?? '-'}  (SigV4 checked)
  simulated Vertex AI  ${origins['vertex-anthropic'] ?? '-'}/v1 (Claude), ${origins['vertex-gemini'] ?? '-'}/v1 (Gemini)
  simulated Azure      ${origins.azure ?? '-'}/openai

Gateway: ${url}
Models:  ${models.join(', ')}
  chat = openai -> anthropic -> gemini; claude = anthropic first; gemini = gemini first
  ${SAME_MODEL} = Claude on anthropic -> bedrock -> vertex; gpt-4o = openai -> azure
Playground: ${url}/playground  (send a prompt, break a provider, watch the failover)

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

  # Same model, another cloud: ${SAME_MODEL} is Claude on Anthropic, then on AWS Bedrock, then on
  # Google Vertex AI. Overload the simulated Anthropic (529) and ask: Claude on Bedrock answers.
  curl -s -X PUT ${origins.anthropic ?? ''}/_sim/faults -d '[{"fault":{"kind":"status","status":529}}]'
  curl -si ${url}/v1/messages -H 'Content-Type: application/json' \\
    -d '${sameModel}'

`;
}
