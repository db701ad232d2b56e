/**
 * The offered load, decided before anything runs: every client request with the scenario
 * time it is sent at, its alias, client format, stream or not, and answer length, all drawn
 * from the scenario's seed. Both passes (through the gateway, and the no-gateway baseline)
 * replay this same list, so they face the same traffic and the same faults.
 */
import { seededRandom } from '../core/random.js';
import type { ClientFormat, Scenario } from './scenario.js';

export interface PlannedRequest {
  id: number;
  /** Scenario time it is sent at. */
  at: number;
  phase: number;
  alias: string;
  format: ClientFormat;
  stream: boolean;
  words: number;
  prompt: string;
}

/** A drill's request count is bounded: beyond this the scenario's rate is a mistake, not a load test. */
export const MAX_REQUESTS = 50_000;

const PROMPT = /^Drill request (\d+): reply with \d+ words\.$/;

export function promptFor(id: number, words: number): string {
  // "reply with N words" sets the simulated answer's length (sim/script.ts).
  return `Drill request ${id}: reply with ${words} words.`;
}

/** The request id in a prompt, or undefined. */
export function requestIdOf(prompt: string): number | undefined {
  const m = PROMPT.exec(prompt);
  return m ? Number(m[1]) : undefined;
}

export function planLoad(s: Scenario, aliases: readonly string[], rateFactor = 1): PlannedRequest[] {
  if (aliases.length === 0) throw new Error('no model alias to send to');
  const random = seededRandom(s.seed);
  const out: PlannedRequest[] = [];
  const formatTotal = s.load.formats.reduce((n, f) => n + f.share, 0);
  const [minWords, maxWords] = s.load.answerWords;
  s.phases.forEach((phase, k) => {
    const end = s.phases[k + 1]?.at ?? s.end;
    const perMs = (s.load.ratePerMin * phase.load * rateFactor) / 60_000;
    if (perMs <= 0) return;
    let t = phase.at;
    for (;;) {
      // Poisson arrivals: exponential gaps (1 - u, so never log(0)); even: a fixed gap.
      t += s.load.arrivals === 'poisson' ? -Math.log(1 - random()) / perMs : 1 / perMs;
      if (t >= end) break;
      if (out.length >= MAX_REQUESTS) throw new Error(`the scenario's load is over ${MAX_REQUESTS} requests; lower load.rate_per_min`);
      const id = out.length;
      let f = random() * formatTotal;
      const format = s.load.formats.find((x) => (f -= x.share) < 0)?.format ?? s.load.formats[0]!.format;
      const words = minWords + Math.floor(random() * (maxWords - minWords + 1));
      out.push({
        id,
        at: Math.round(t),
        phase: k,
        alias: aliases[Math.floor(random() * aliases.length)]!,
        format,
        stream: random() < s.load.streamShare,
        words,
        prompt: promptFor(id, words),
      });
    }
  });
  return out;
}
