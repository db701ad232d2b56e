/**
 * A vendor's own view of its health, read from its public status feed and
 * normalised so the status page and incident list can show it beside what
 * Switchyard measured ("is it them or us?"). Produced by the pure parsers in
 * this folder and kept current by VendorFeedPoller.
 */
import type { ComponentState, Incident } from '../types.js';

export const FEED_FORMATS = ['statuspage', 'incident-io', 'instatus', 'google-cloud'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export interface VendorComponent {
  /** The vendor's component id (or name when it has none). */
  id: string;
  name: string;
  /** Group or product family on the vendor page, e.g. "API" or "ChatGPT". */
  group?: string;
  state: ComponentState;
  /** Planned maintenance: shown, but not an outage (state stays what the vendor reports otherwise). */
  underMaintenance?: boolean;
}

export interface VendorStatus {
  /** Our provider name (from config), e.g. openai. */
  provider: string;
  format: FeedFormat;
  /** The human status page, e.g. https://status.openai.com. */
  pageUrl: string;
  /** Worst current state the vendor admits to; unknown until a feed was read. */
  indicator: ComponentState | 'unknown';
  /** The vendor's own words, e.g. "Partial System Outage", when it has any. */
  description?: string;
  components: VendorComponent[];
  /** Ongoing incidents first, then recently resolved ones, newest first; all source 'vendor'. */
  incidents: Incident[];
  /** Epoch ms the feed was read. */
  fetchedAt: number;
  /** Set by the poller while the feed cannot be fetched or parsed; the rest is the last good read. */
  fetchError?: FeedFailure;
}

export interface FeedFailure {
  message: string;
  /** Epoch ms of the first failure in the current run of failures. */
  since: number;
  lastAttemptAt: number;
  consecutiveFailures: number;
}

export type FeedErrorKind = 'invalid_json' | 'unexpected_shape';

/** A feed that could not be understood. Parsers return it; they never throw. */
export class FeedParseError extends Error {
  override readonly name = 'FeedParseError';
  constructor(
    readonly format: FeedFormat,
    readonly kind: FeedErrorKind,
    message: string,
  ) {
    super(`${format} feed: ${message}`);
  }
}

export type FeedResult = { ok: true; status: VendorStatus } | { ok: false; error: FeedParseError };

export interface ParseContext {
  provider: string;
  /** Epoch ms of the read (also "now" for deciding what is recent). */
  fetchedAt: number;
  /** Fallback page URL when the feed does not name one. */
  pageUrl?: string;
  /** Resolved incidents older than this (ms before fetchedAt) are left out. Default 7 days. */
  recentMs?: number;
}

/** One configured feed (the `status.vendor_feeds` config entries, resolved). */
export interface VendorFeedConfig {
  provider: string;
  format: FeedFormat;
  url: string;
  /** Instatus: components live in a second document (`/v2/components.json`). */
  componentsUrl?: string;
  /** Google Cloud: which products count (case-insensitive substrings of product titles). */
  products?: string[];
  intervalMs: number;
}
