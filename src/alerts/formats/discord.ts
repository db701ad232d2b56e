/**
 * Discord webhook body: `content` plus one embed coloured by state
 * (https://discord.com/developers/docs/resources/webhook#execute-webhook,
 * embed limits https://discord.com/developers/docs/resources/message#embed-object-embed-limits:
 * title 256, description 4096, 25 fields, field name 256 / value 1024, content 2000).
 * `allowed_mentions: { parse: [] }` so incident text can never ping @everyone.
 */
import type { AlertEvent } from '../../health/types.js';
import type { FormatContext } from '../types.js';
import { eventState, headline, summary, truncate } from './describe.js';
import { fieldsFor } from './slack.js';

/** Colours by state, as integers (Discord wants 0xRRGGBB as a number). */
export const DISCORD_COLOURS: Record<ReturnType<typeof eventState>, number> = {
  operational: 0x2ecc71,
  degraded_performance: 0xf1c40f,
  partial_outage: 0xe67e22,
  major_outage: 0xe74c3c,
  info: 0x3498db,
};

export interface DiscordEmbed {
  title: string;
  description: string;
  color: number;
  timestamp: string;
  url?: string;
  fields: { name: string; value: string; inline: boolean }[];
  footer: { text: string };
}

export interface DiscordBody {
  content: string;
  embeds: DiscordEmbed[];
  allowed_mentions: { parse: never[] };
}

export function discordBody(event: AlertEvent, ctx: FormatContext): DiscordBody {
  const title = headline(event);
  const embed: DiscordEmbed = {
    title: truncate(title, 256),
    description: truncate(summary(event, ctx.now), 4096),
    color: DISCORD_COLOURS[eventState(event)],
    timestamp: new Date(ctx.now).toISOString(),
    fields: fieldsFor(event, ctx.now)
      .slice(0, 25)
      .map(([name, value]) => ({ name: truncate(name, 256), value: truncate(value || '-', 1024), inline: true })),
    footer: { text: ctx.statusUrl ? `Switchyard · ${ctx.statusUrl}` : 'Switchyard' },
  };
  const link = event.type === 'incident.opened' || event.type === 'incident.updated' || event.type === 'incident.resolved' ? event.incident.url : undefined;
  if (link ?? ctx.statusUrl) embed.url = (link ?? ctx.statusUrl)!;
  return { content: truncate(title, 2000), embeds: [embed], allowed_mentions: { parse: [] } };
}
