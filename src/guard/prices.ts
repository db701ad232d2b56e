/**
 * What a request costs, for budgets (issue #25 item 3). Prices are USD per million tokens, which
 * is exactly micro-dollars per token, so costs stay integers (micro-dollars) with no rounding
 * until the final ceil.
 *
 * List prices as of 2025-11 from the vendors' pricing pages (standard tier, no batch or cache
 * discounts, Gemini's prices for prompts up to 200k tokens); they change, so override them in
 * `guard.prices`. A model matches the longest entry that is a prefix of its id, so dated ids
 * (`claude-sonnet-4-20250514`, `gpt-4o-2024-08-06`) find their family.
 *
 * A model in neither table costs nothing against budgets unless `guard.prices.default` is set:
 * local models (Ollama, vLLM) really cost nothing, and guessing a price for an unknown paid model
 * would be wrong either way. unpricedModels() lists them so start-up can say so.
 */

export interface Price {
  /** USD per million input tokens (= micro-dollars per token). */
  input: number;
  /** USD per million output tokens. */
  output: number;
}

export const LIST_PRICES_AS_OF = '2025-11';

export const DEFAULT_PRICES: Readonly<Record<string, Price>> = {
  // OpenAI
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  o1: { input: 15, output: 60 },
  'o1-mini': { input: 1.1, output: 4.4 },
  o3: { input: 2, output: 8 },
  'o3-pro': { input: 20, output: 80 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  // Anthropic
  'claude-opus-4': { input: 15, output: 75 },
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-3-7-sonnet': { input: 3, output: 15 },
  'claude-3-5-sonnet': { input: 3, output: 15 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'claude-3-haiku': { input: 0.25, output: 1.25 },
  // Google
  'gemini-2.5-pro': { input: 1.25, output: 10 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5 },
  'gemini-2.5-flash-lite': { input: 0.1, output: 0.4 },
  'gemini-2.0-flash': { input: 0.1, output: 0.4 },
  'gemini-2.0-flash-lite': { input: 0.075, output: 0.3 },
};

/** Prices by model-id prefix, looked up longest prefix first, plus an optional price for the rest. */
export class PriceTable {
  private readonly entries: Array<[string, Price]>;
  private readonly cache = new Map<string, Price | null>();

  constructor(
    overrides: Readonly<Record<string, Price>> = {},
    private readonly fallback?: Price,
    base: Readonly<Record<string, Price>> = DEFAULT_PRICES,
  ) {
    const merged = { ...base, ...overrides };
    this.entries = Object.entries(merged).sort((a, b) => b[0].length - a[0].length);
  }

  /**
   * The price for an upstream model id (provider prefixes like `openai/` or `models/` are
   * ignored), or undefined when neither the table nor a default prices it.
   */
  price(model: string): Price | undefined {
    let p = this.cache.get(model);
    if (p === undefined) {
      const id = bareId(model);
      p = this.entries.find(([prefix]) => id.startsWith(prefix))?.[1] ?? null;
      // Upstream model ids come from config, so this stays small; the guard against growth is for odd callers.
      if (this.cache.size < 10_000) this.cache.set(model, p);
    }
    return p ?? this.fallback;
  }

  /** Micro-dollars for these token counts (0 for an unpriced model). */
  costMicros(model: string, inputTokens: number, outputTokens: number): number {
    const p = this.price(model);
    return p ? Math.ceil(inputTokens * p.input + outputTokens * p.output) : 0;
  }

  /** Models (of those given) that nothing prices: they will not count against budgets. */
  unpricedModels(models: Iterable<string>): string[] {
    return [...new Set(models)].filter((m) => this.price(m) === undefined);
  }
}

function bareId(model: string): string {
  const slash = model.lastIndexOf('/');
  return (slash === -1 ? model : model.slice(slash + 1)).toLowerCase();
}
