/** One body builder per target type. */
import type { AlertEvent } from '../../health/types.js';
import type { AlertTargetType, FormatContext } from '../types.js';
import { discordBody } from './discord.js';
import { slackBody } from './slack.js';
import { webhookBody } from './webhook.js';

export function formatAlert(type: AlertTargetType, event: AlertEvent, ctx: FormatContext): unknown {
  switch (type) {
    case 'webhook':
      return webhookBody(event, ctx);
    case 'slack':
      return slackBody(event, ctx);
    case 'discord':
      return discordBody(event, ctx);
  }
}
