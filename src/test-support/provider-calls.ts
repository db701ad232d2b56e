/**
 * Tests' view of a provider: its sink-telling calls as promises (through core/sink toPromise, as
 * every caller off the hot path does), a stream's chunks as an async iterable, and the pools and
 * buffers a gateway would give it.
 */
import { createSystemClock } from '../core/clock.js';
import { toPromise } from '../core/sink.js';
import type { ChatRequest } from '../core/request.js';
import { BufferPool } from '../providers/kept-bytes.js';
import type { CallContext, ChatResult, Provider, ProviderDeps, StreamChunk, UpstreamStream } from '../providers/types.js';
import { UpstreamPools } from '../providers/upstream-pool.js';

export function testDeps(over: Partial<ProviderDeps> = {}): ProviderDeps {
  return { pools: new UpstreamPools(), buffers: new BufferPool(), clock: createSystemClock(), ...over };
}

export function chat(p: Provider, req: ChatRequest, model: string, ctx: CallContext): Promise<ChatResult> {
  return toPromise((to) => p.chat(req, model, ctx, to));
}

export function chatStream(p: Provider, req: ChatRequest, model: string, ctx: CallContext): Promise<UpstreamStream> {
  return toPromise((to) => p.stream(req, model, ctx, to));
}

/** A stream's chunks in order; throws its failure after the chunks that came before it. */
export async function* chunks(s: UpstreamStream): AsyncGenerator<StreamChunk> {
  for (;;) {
    const r = s.poll();
    if (r === undefined) {
      await new Promise<void>((resolve) => s.wait({ readable: resolve }));
      continue;
    }
    if (r.done) return;
    yield r.value;
  }
}
