/**
 * A client of the drill's gateway: plain fetch in the request's own format (Chat
 * Completions, Messages or Responses), no retries of its own — the gateway is the only layer
 * that retries, so what the report shows is what the gateway alone achieved. Times are read
 * from the drill's clock, so they are scenario time.
 */
import type { Clock } from '../core/clock.js';
import { readJsonAnswer, StreamReader, type AnswerRead } from './answer-reader.js';
import { failureOf, judge, type ClientResult } from './client-result.js';
import type { PlannedRequest } from './load-plan.js';

function requestFor(r: PlannedRequest): { path: string; headers: Record<string, string>; body: unknown } {
  const messages = [{ role: 'user', content: r.prompt }];
  switch (r.format) {
    case 'anthropic-messages':
      return { path: '/v1/messages', headers: { 'anthropic-version': '2023-06-01', 'x-api-key': 'drill' }, body: { model: r.alias, max_tokens: 4096, stream: r.stream, messages } };
    case 'openai-responses':
      return { path: '/v1/responses', headers: { authorization: 'Bearer drill' }, body: { model: r.alias, input: r.prompt, stream: r.stream } };
    default:
      return { path: '/v1/chat/completions', headers: { authorization: 'Bearer drill' }, body: { model: r.alias, stream: r.stream, messages } };
  }
}

export async function sendViaGateway(url: string, r: PlannedRequest, clock: Clock, giveUpMs: number): Promise<ClientResult> {
  const { path, headers, body } = requestFor(r);
  const ctl = new AbortController();
  let gaveUp = false;
  const timer = clock.setTimeout(() => {
    gaveUp = true;
    ctl.abort();
  }, giveUpMs);
  const t0 = clock.now();
  const out: ClientResult = { id: r.id, ok: false, status: 0, totalMs: 0, switches: 0 };
  try {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: ctl.signal });
    out.status = res.status;
    const provider = res.headers.get('x-switchyard-provider');
    if (provider) out.provider = provider;
    if (res.status !== 200) {
      await res.arrayBuffer();
      out.failure = `http ${res.status}`;
      return out;
    }
    let read: AnswerRead;
    if (r.stream && res.body) {
      const reader = new StreamReader(r.format, () => (out.ttftMs = clock.now() - t0));
      for await (const chunk of res.body) reader.push(chunk as Uint8Array);
      read = reader.read;
    } else {
      read = readJsonAnswer(r.format, await res.json());
    }
    out.switches = read.switches.length;
    const failure = judge(read, r.prompt);
    if (failure === undefined) out.ok = true;
    else out.failure = failure;
    return out;
  } catch (e) {
    out.failure = failureOf(e, gaveUp);
    return out;
  } finally {
    clock.clearTimeout(timer);
    out.totalMs = clock.now() - t0;
  }
}
