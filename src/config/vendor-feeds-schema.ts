/**
 * `status.vendor_feeds`: vendors' public status feeds to poll (off unless listed).
 *
 * ```yaml
 * status:
 *   vendor_feeds:
 *     - { provider: openai, format: incident-io, url: https://status.openai.com/proxy/status.openai.com, interval_s: 60 }
 *     - { provider: anthropic, format: statuspage, url: https://status.anthropic.com/api/v2/summary.json }
 *     - { provider: perplexity, format: instatus, url: https://status.perplexity.com/summary.json, components_url: https://status.perplexity.com/v2/components.json }
 *     - { provider: gemini, format: google-cloud, url: https://status.cloud.google.com/incidents.json, products: [Vertex Gemini API, Vertex AI] }
 * ```
 */
import { z } from 'zod';
import { FEED_FORMATS, type VendorFeedConfig } from '../health/feeds/types.js';
import { suggestion } from './did-you-mean.js';

export const VENDOR_FEED_KEYS = ['provider', 'format', 'url', 'components_url', 'products', 'interval_s'] as const;
export const DEFAULT_FEED_INTERVAL_S = 60;
/** Vendors ask for polite polling; a status page is not a health check. */
export const MIN_FEED_INTERVAL_S = 15;

// Local: schema.ts imports this file, so importing its helpers back would be an ESM cycle.
function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}
const httpUrl = (example: string) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? `missing; expected a URL like ${example}` : `expected a URL, got ${typeName(iss.input)}`) })
    .trim()
    .refine(
      (s) => {
        try {
          const u = new URL(s);
          return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
        } catch {
          return false;
        }
      },
      { error: `not a valid http(s) URL; expected something like ${example}` },
    );

const feedSchema = z.strictObject({
  provider: z
    .string({ error: (iss) => (iss.input === undefined ? 'missing; expected the provider this feed describes, e.g. openai' : `expected a name, got ${typeName(iss.input)}`) })
    .trim()
    .min(1, { error: 'must not be empty' }),
  format: z.enum(FEED_FORMATS, {
    error: (iss) =>
      iss.input === undefined
        ? `missing; expected one of ${FEED_FORMATS.join(', ')}`
        : typeof iss.input === 'string'
          ? `unknown feed format "${iss.input}"${suggestion(iss.input, FEED_FORMATS)}; expected one of ${FEED_FORMATS.join(', ')}`
          : `expected one of ${FEED_FORMATS.join(', ')}, got ${typeName(iss.input)}`,
  }),
  url: httpUrl('https://status.anthropic.com/api/v2/summary.json'),
  components_url: httpUrl('https://status.perplexity.com/v2/components.json').optional(),
  products: z.array(z.string().trim().min(1), { error: (iss) => `expected a list of product names, got ${typeName(iss.input)}` }).min(1).optional(),
  interval_s: z
    .preprocess(
      (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
      z
        .number({ error: `expected whole seconds, at least ${MIN_FEED_INTERVAL_S}` })
        .int({ error: `expected whole seconds, at least ${MIN_FEED_INTERVAL_S}` })
        .min(MIN_FEED_INTERVAL_S, { error: (iss) => `${String(iss.input)} is too often; expected at least ${MIN_FEED_INTERVAL_S} seconds` }),
    )
    .optional(),
});

export const vendorFeedsSchema = z
  .array(feedSchema, { error: (iss) => `expected a list of feeds, got ${typeName(iss.input)}` })
  .superRefine((feeds, ctx) => {
    const seen = new Set<string>();
    feeds.forEach((f, i) => {
      if (seen.has(f.provider)) ctx.addIssue({ code: 'custom', path: [i, 'provider'], message: `duplicate feed for provider "${f.provider}"; one feed per provider` });
      seen.add(f.provider);
    });
  });

export type RawVendorFeeds = z.infer<typeof vendorFeedsSchema>;

export function resolveVendorFeeds(raw: RawVendorFeeds | undefined): VendorFeedConfig[] | undefined {
  if (raw === undefined) return undefined;
  return raw.map((f) => {
    const out: VendorFeedConfig = { provider: f.provider, format: f.format, url: f.url, intervalMs: (f.interval_s ?? DEFAULT_FEED_INTERVAL_S) * 1000 };
    if (f.components_url) out.componentsUrl = f.components_url;
    if (f.products) out.products = f.products;
    return out;
  });
}
