/**
 * The `alerts:` section: a list of notification targets.
 *
 * ```yaml
 * alerts:
 *   - { name: ops-slack, type: slack, url: "${SLACK_WEBHOOK_URL}", events: [incident.opened, incident.resolved, credential.parked] }
 *   - { name: pager, type: webhook, url: https://example.com/hook, headers: { Authorization: "Bearer ${HOOK_TOKEN}" } }
 * ```
 *
 * Webhook URLs carry tokens (Slack, Discord) and header values are often
 * credentials: messages never echo them, and alertSecrets() hands them to the
 * loader's redaction.
 */
import { z } from 'zod';
import { ALERT_EVENT_TYPES, ALERT_TARGET_TYPES, type AlertEventType, type AlertTarget } from '../alerts/types.js';
import { suggestion } from './did-you-mean.js';

// Local copies of schema.ts's helpers: schema.ts imports this file, so importing
// it back would be an ESM cycle that reads its constants before they exist.
const NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;
function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}
function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

export const ALERT_KEYS = ['name', 'type', 'url', 'headers', 'events'] as const;

const oneOf = (what: string, values: readonly string[]) => (iss: { input?: unknown }) =>
  iss.input === undefined
    ? `missing; expected one of ${values.join(', ')}`
    : typeof iss.input === 'string'
      ? `unknown ${what} "${iss.input}"${suggestion(iss.input, values)}; expected one of ${values.join(', ')}`
      : `expected one of ${values.join(', ')}, got ${typeName(iss.input)}`;

const alertTargetSchema = z.strictObject({
  name: z
    .string({ error: (iss) => (iss.input === undefined ? 'missing; expected a name' : `expected a name, got ${typeName(iss.input)}`) })
    .trim()
    .min(1, { error: 'must not be empty; expected a name' })
    .regex(NAME_PATTERN, { error: 'may only contain letters, digits, "_", "." and "-"' }),
  type: z.enum(ALERT_TARGET_TYPES, { error: oneOf('alert type', ALERT_TARGET_TYPES) }),
  // Never echo the value: it is usually a secret webhook URL.
  url: z
    .string({ error: (iss) => (iss.input === undefined ? 'missing; expected the webhook URL, usually ${SOME_WEBHOOK_URL}' : `expected a URL, got ${typeName(iss.input)}`) })
    .trim()
    .refine(isHttpUrl, { error: 'not a valid http(s) URL; expected e.g. https://hooks.slack.com/services/...' }),
  headers: z
    .record(
      z.string(),
      z.preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), z.string({ error: 'expected a string' })),
      { error: (iss) => `expected a mapping of header names to values, got ${typeName(iss.input)}` },
    )
    .optional(),
  events: z
    .array(z.enum(ALERT_EVENT_TYPES as [AlertEventType, ...AlertEventType[]], { error: oneOf('event', ALERT_EVENT_TYPES) }), {
      error: (iss) => `expected a list of events (${ALERT_EVENT_TYPES.join(', ')}), got ${typeName(iss.input)}`,
    })
    .min(1, { error: 'empty; list at least one event, or leave `events` out for all' })
    .optional(),
});

export const alertsSchema = z
  .array(alertTargetSchema, { error: (iss) => `expected a list of alert targets, got ${typeName(iss.input)}` })
  .superRefine((targets, ctx) => {
    const seen = new Set<string>();
    targets.forEach((t, i) => {
      if (seen.has(t.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate alert name "${t.name}"; alert names must be unique` });
      seen.add(t.name);
    });
  });

export type RawAlerts = z.infer<typeof alertsSchema>;

export function resolveAlerts(raw: RawAlerts | undefined): AlertTarget[] | undefined {
  if (raw === undefined) return undefined;
  return raw.map((a) => {
    const t: AlertTarget = { name: a.name, type: a.type, url: a.url, headers: a.headers ?? {} };
    if (a.events) t.events = [...new Set(a.events)];
    return t;
  });
}

/** URL and header values of every alert target, for redaction of config messages. */
export function alertSecrets(tree: unknown): string[] {
  const out: string[] = [];
  const alerts = tree !== null && typeof tree === 'object' ? (tree as { alerts?: unknown }).alerts : undefined;
  if (!Array.isArray(alerts)) return out;
  for (const a of alerts) {
    if (a === null || typeof a !== 'object') continue;
    const { url, headers } = a as Record<string, unknown>;
    if (typeof url === 'string') out.push(url);
    if (headers !== null && typeof headers === 'object') for (const v of Object.values(headers)) if (typeof v === 'string') out.push(v);
  }
  return out;
}
