/**
 * Anthropic: the Messages API at `${baseUrl}/v1/messages`. baseUrl has no /v1,
 * like the Anthropic SDK's baseURL (default https://api.anthropic.com).
 * Auth is the `x-api-key` header plus the mandatory `anthropic-version`.
 * Anthropic has no embeddings API.
 */
import { gatewayError } from '../core/errors.js';
import type { ChatRequest } from '../core/request.js';
import { anthropicMessages } from '../formats/anthropic-messages/index.js';
import { HttpProvider } from './http-provider.js';
import type { CallContext, Provider, ProviderConfig, ProviderDeps } from './types.js';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
/** The API version this gateway's format was written against (Anthropic "Versions" reference). */
export const ANTHROPIC_VERSION = '2023-06-01';

class AnthropicProvider extends HttpProvider {
  // Anthropic continues a trailing assistant message (prefill): mid-stream recovery uses it.
  readonly supportsPrefill = true;

  private readonly base: string;

  constructor(config: ProviderConfig, deps: ProviderDeps) {
    super(config, anthropicMessages, deps);
    this.base = (config.baseUrl || ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, '');
  }

  protected chatUrl(): string {
    return this.withQuery(`${this.base}/v1/messages`);
  }

  protected embeddingsUrl(): string | undefined {
    return undefined;
  }

  protected authHeaders(): Record<string, string> {
    const headers: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION };
    const key = this.config.apiKey;
    if (key !== undefined && key !== '') {
      const name = (this.config.authHeader ?? 'x-api-key').toLowerCase();
      headers[name] = name === 'authorization' ? `Bearer ${key}` : key;
    }
    return headers;
  }

  // passthroughBody: the base class keeps the client's body (cache_control, top_k, ...) and sets model and stream.

  /**
   * POST /v1/messages/count_tokens ("Count tokens in a message"): body like Messages without
   * max_tokens/stream/sampling; answer `{input_tokens}`. An Anthropic client's own body goes as it
   * is (with the target's model), so fields we don't model (cache_control, thinking) still count.
   */
  async countTokens(req: ChatRequest, model: string, ctx: CallContext): Promise<number> {
    let body: Record<string, unknown>;
    if (ctx.original?.format === this.format) body = { ...ctx.original.body, model };
    else {
      const full = this.egress.encodeRequest({ ...req, stream: false }, model);
      body = { model };
      for (const k of COUNT_FIELDS) if (full[k] !== undefined) body[k] = full[k];
    }
    const res = await this.post(this.withQuery(`${this.base}/v1/messages/count_tokens`), JSON.stringify(body), ctx.signal);
    const raw = (await res.body(64 * 1024)).toString('utf8');
    if (res.status < 200 || res.status >= 300) throw this.answerError(res, raw);
    let n: unknown;
    try {
      n = (JSON.parse(raw) as { input_tokens?: unknown }).input_tokens;
    } catch {
      n = undefined;
    }
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw gatewayError('upstream_malformed', `${this.name} answered count_tokens without an integer input_tokens.`, { provider: this.name });
    }
    return n;
  }
}

/** The request fields count_tokens takes (Anthropic API reference, MessageCountTokensParams). */
const COUNT_FIELDS = ['messages', 'system', 'tools', 'tool_choice'] as const;

export function createAnthropicProvider(config: ProviderConfig, deps: ProviderDeps): Provider {
  return new AnthropicProvider(config, deps);
}
