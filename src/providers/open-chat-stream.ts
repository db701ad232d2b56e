/**
 * Opening a stream on any provider the same way: the promise-free path where the provider has one
 * (HTTP providers: the exchange tells the sink directly), else through chatStream.
 */
import { tell, type Sink } from '../core/sink.js';
import type { ChatRequest } from '../core/request.js';
import type { CallContext, Provider, UpstreamStream } from './types.js';

/** Open a stream on `provider`, telling `to`: without a promise where the provider can. Never throws. */
export function openChatStream(provider: Provider, req: ChatRequest, model: string, ctx: CallContext, to: Sink<UpstreamStream>): void {
  try {
    if (provider.openChatStream) return provider.openChatStream(req, model, ctx, to);
    tell(provider.chatStream(req, model, ctx), to);
  } catch (e) {
    to.failed(e);
  }
}
