/**
 * The no-gateway baseline: the same request, sent by an application that calls its alias's
 * first provider directly with that provider's official SDK and its default retries (the
 * `openai` SDK for OpenAI and OpenAI-compatible providers, `@anthropic-ai/sdk` for
 * Anthropic). Switchyard ships no Gemini SDK: a Gemini first target is called with plain
 * fetch and no retries. The SDKs' waits run on the drill's clock (clocked-fetch.ts).
 */
import type { Clock } from '../core/clock.js';
import type { ProviderConfig } from '../providers/types.js';
import { readJsonAnswer, StreamReader, type AnswerRead } from './answer-reader.js';
import { ClockedFetch } from './clocked-fetch.js';
import { failureOf, judge, type ClientResult } from './client-result.js';
import type { PlannedRequest } from './load-plan.js';

/** The SDK modules, loaded once per drill (they are optional dependencies). */
export interface Sdks {
  OpenAI?: typeof import('openai').default;
  Anthropic?: typeof import('@anthropic-ai/sdk').default;
}

export async function loadSdks(): Promise<Sdks> {
  const out: Sdks = {};
  try {
    out.OpenAI = (await import('openai')).default;
  } catch {
    // not installed: the baseline says so for the providers that need it
  }
  try {
    out.Anthropic = (await import('@anthropic-ai/sdk')).default;
  } catch {
    // as above
  }
  return out;
}

/** Which client the baseline uses for a provider, for the report. */
export function baselineClientOf(p: ProviderConfig, sdks: Sdks): string {
  if (p.type === 'gemini') return 'fetch, no retries';
  if (p.type === 'anthropic') return sdks.Anthropic ? '@anthropic-ai/sdk, 2 retries' : 'missing: @anthropic-ai/sdk';
  return sdks.OpenAI ? 'openai SDK, 2 retries' : 'missing: openai';
}

export interface BaselineTarget {
  /** The provider as pointed at its simulator. */
  provider: ProviderConfig;
  model: string;
}

export async function sendDirect(t: BaselineTarget, r: PlannedRequest, sdks: Sdks, clock: Clock, seed: number, giveUpMs: number): Promise<ClientResult> {
  const ctl = new AbortController();
  let gaveUp = false;
  const timer = clock.setTimeout(() => {
    gaveUp = true;
    ctl.abort();
  }, giveUpMs);
  const t0 = clock.now();
  const out: ClientResult = { id: r.id, ok: false, status: 0, totalMs: 0, switches: 0, provider: t.provider.name };
  const firstText = () => (out.ttftMs = clock.now() - t0);
  const messages = [{ role: 'user' as const, content: r.prompt }];
  const clocked = new ClockedFetch(clock, seed, `baseline-${r.id}`);
  const common = { apiKey: t.provider.apiKey ?? 'drill', fetch: clocked.fetch, timeout: 2_000_000_000 };
  let read: AnswerRead;
  try {
    if (t.provider.type === 'gemini') {
      read = await viaFetch(t, r, ctl.signal, firstText, (s) => (out.status = s));
    } else if (t.provider.type === 'anthropic') {
      if (!sdks.Anthropic) throw new Error('@anthropic-ai/sdk is not installed');
      const client = ClockedFetch.silence(new sdks.Anthropic({ ...common, baseURL: t.provider.baseUrl }));
      if (r.stream) {
        const reader = new StreamReader('anthropic-messages', firstText);
        const stream = await client.messages.create({ model: t.model, max_tokens: 4096, messages, stream: true }, { signal: ctl.signal });
        for await (const e of stream) reader.push(Buffer.from(`data: ${JSON.stringify(e)}\n\n`));
        read = reader.read;
      } else {
        read = readJsonAnswer('anthropic-messages', await client.messages.create({ model: t.model, max_tokens: 4096, messages }, { signal: ctl.signal }));
      }
      out.status = 200;
    } else {
      if (!sdks.OpenAI) throw new Error('the openai SDK is not installed');
      const client = ClockedFetch.silence(new sdks.OpenAI({ ...common, baseURL: t.provider.baseUrl }));
      if (r.stream) {
        const reader = new StreamReader('openai-chat', firstText);
        const stream = await client.chat.completions.create({ model: t.model, messages, stream: true }, { signal: ctl.signal });
        for await (const c of stream) reader.push(Buffer.from(`data: ${JSON.stringify(c)}\n\n`));
        // The SDK ends its iteration at [DONE] and does not hand it over.
        reader.push(Buffer.from('data: [DONE]\n\n'));
        read = reader.read;
      } else {
        read = readJsonAnswer('openai-chat', await client.chat.completions.create({ model: t.model, messages }, { signal: ctl.signal }));
      }
      out.status = 200;
    }
    const failure = judge(read, r.prompt);
    if (failure === undefined) out.ok = true;
    else out.failure = failure;
  } catch (e) {
    const status = (e as { status?: unknown }).status;
    if (typeof status === 'number') {
      out.status = status;
      out.failure = `http ${status}`;
    } else out.failure = failureOf(e, gaveUp);
  } finally {
    clock.clearTimeout(timer);
    out.totalMs = clock.now() - t0;
  }
  return out;
}

/** Gemini's REST API with plain fetch: generateContent, or streamGenerateContent?alt=sse. */
async function viaFetch(t: BaselineTarget, r: PlannedRequest, signal: AbortSignal, firstText: () => void, status: (s: number) => void): Promise<AnswerRead> {
  const method = r.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
  const res = await fetch(`${t.provider.baseUrl}/models/${encodeURIComponent(t.model)}:${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': t.provider.apiKey ?? 'drill' },
    body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: r.prompt }] }] }),
    signal,
  });
  status(res.status);
  if (!res.ok) {
    await res.arrayBuffer();
    throw Object.assign(new Error(`http ${res.status}`), { status: res.status });
  }
  const text = (c: unknown) => ((c as { candidates?: { content?: { parts?: { text?: string }[] } }[] }).candidates?.[0]?.content?.parts ?? []).map((p) => p.text ?? '').join('');
  if (!r.stream) return { text: text(await res.json()), ended: true, switches: [] };
  // Gemini's stream has no end marker: the last chunk carries a finishReason.
  const read: AnswerRead = { text: '', ended: false, switches: [] };
  let buffered = '';
  for await (const chunk of res.body ?? []) {
    buffered += Buffer.from(chunk as Uint8Array).toString('utf8');
    let i: number;
    while ((i = buffered.indexOf('\n\n')) !== -1) {
      const frame = buffered.slice(0, i);
      buffered = buffered.slice(i + 2);
      const data = frame.split('\n').find((l) => l.startsWith('data:'));
      if (!data) continue;
      const json = JSON.parse(data.slice(5)) as { candidates?: { finishReason?: string }[] };
      const piece = text(json);
      if (piece !== '' && read.text === '') firstText();
      read.text += piece;
      if (json.candidates?.[0]?.finishReason) read.ended = true;
    }
  }
  return read;
}
