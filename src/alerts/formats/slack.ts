/**
 * Slack incoming-webhook body: `text` (the notification/fallback line) plus
 * Block Kit `blocks` (https://api.slack.com/messaging/webhooks,
 * https://api.slack.com/reference/block-kit/blocks). Limits guarded here:
 * header text 150 chars (plain_text), section text 3000, at most 10 fields of
 * 2000 each. Slack parses `<…|…>` and `&<>` in mrkdwn, so vendor- or
 * user-supplied text is escaped.
 */
import type { AlertEvent } from '../../health/types.js';
import type { FormatContext } from '../types.js';
import { STATE_LABEL, eventState, formatDuration, headline, incidentDurationMs, summary, truncate } from './describe.js';

const EMOJI: Record<ReturnType<typeof eventState>, string> = {
  operational: ':large_green_circle:',
  degraded_performance: ':large_yellow_circle:',
  partial_outage: ':large_orange_circle:',
  major_outage: ':red_circle:',
  info: ':information_source:',
};

type TextObject = { type: 'plain_text' | 'mrkdwn'; text: string };
export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] };

export interface SlackBody {
  text: string;
  blocks: SlackBlock[];
}

/** Slack's mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
export function slackEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function slackBody(event: AlertEvent, ctx: FormatContext): SlackBody {
  const title = headline(event);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(title, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(`${EMOJI[eventState(event)]} ${slackEscape(summary(event, ctx.now))}`, 3000) } },
  ];
  const fields = fieldsFor(event, ctx.now);
  if (fields.length > 0) {
    blocks.push({ type: 'section', fields: fields.slice(0, 10).map(([k, v]) => ({ type: 'mrkdwn', text: truncate(`*${k}*\n${slackEscape(v)}`, 2000) })) });
  }
  const links: string[] = [];
  if ((event.type === 'incident.opened' || event.type === 'incident.updated' || event.type === 'incident.resolved') && event.incident.url) {
    links.push(`<${event.incident.url}|Vendor page>`);
  }
  if (ctx.statusUrl) links.push(`<${ctx.statusUrl}|Status page>`);
  if (links.length > 0) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: links.join(' · ') }] });
  return { text: truncate(title, 3000), blocks };
}

/** [label, value] pairs shared with Discord's embed fields. */
export function fieldsFor(event: AlertEvent, now: number): [string, string][] {
  switch (event.type) {
    case 'incident.opened':
    case 'incident.updated':
    case 'incident.resolved': {
      const i = event.incident;
      const out: [string, string][] = [
        ['Impact', STATE_LABEL[i.impact]],
        ['Status', i.status],
        ['Components', i.components.join(', ') || i.provider],
        ['Source', i.source === 'vendor' ? `${i.provider} status page` : 'Switchyard traffic'],
        ['Duration', formatDuration(incidentDurationMs(i, now))],
      ];
      if (i.source === 'switchyard') out.push(['Peak error rate', `${Math.round(i.peakErrorRate * 100)}%`]);
      return out;
    }
    case 'credential.parked':
      return [
        ['Provider', event.provider],
        ['Model', event.model ?? 'all'],
        ['Until', new Date(event.until).toISOString()],
      ];
    case 'test':
      return [];
  }
}
