/**
 * Alert targets as resolved from the `alerts:` config section, and the
 * shapes notifiers and the dispatcher share.
 */
import type { AlertEvent } from '../health/types.js';

export const ALERT_TARGET_TYPES = ['webhook', 'slack', 'discord'] as const;
export type AlertTargetType = (typeof ALERT_TARGET_TYPES)[number];

export type AlertEventType = AlertEvent['type'];
export const ALERT_EVENT_TYPES: readonly AlertEventType[] = [
  'incident.opened',
  'incident.updated',
  'incident.resolved',
  'credential.parked',
  'test',
];

export interface AlertTarget {
  /** Unique, shown in stats and `switchyard alert test` output. */
  name: string;
  type: AlertTargetType;
  /** Contains a token for Slack/Discord: never logged or returned; see maskUrl. */
  url: string;
  /** Extra request headers (e.g. Authorization for a generic webhook). Values are secrets too. */
  headers: Record<string, string>;
  /** Which events go to this target; undefined = all. `test` is always delivered. */
  events?: AlertEventType[];
}

/** Context every formatter gets besides the event. */
export interface FormatContext {
  /** Epoch ms the alert is sent (from the injected clock). */
  now: number;
  /** Public status page, for "see status page" links. */
  statusUrl?: string;
}

/** One HTTP POST, as the dispatcher asks for it. */
export interface AlertRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface AlertResponse {
  status: number;
  /** Raw Retry-After header, if any. */
  retryAfter?: string;
}

/** The HTTP transport, injectable for tests; rejects on network errors and timeouts. */
export type AlertSender = (req: AlertRequest) => Promise<AlertResponse>;
