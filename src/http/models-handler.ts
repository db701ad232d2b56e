/** GET /v1/models: the aliases this gateway exposes, in the client's list shape. */
import type { ServerResponse } from 'node:http';
import type { GatewayContext } from './context.js';
import { sendJson } from './respond.js';

// Stable across restarts so clients that cache the list see no churn.
const CREATED = 1_700_000_000;

export function handleModels(ctx: GatewayContext, res: ServerResponse, anthropicClient: boolean): void {
  const aliases = ctx.routes.aliases();
  if (anthropicClient) {
    // Anthropic's list shape (GET /v1/models with anthropic-version).
    const data = aliases.map((id) => ({ type: 'model', id, display_name: id, created_at: new Date(CREATED * 1000).toISOString() }));
    sendJson(res, 200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
    return;
  }
  sendJson(res, 200, { object: 'list', data: aliases.map((id) => ({ id, object: 'model', created: CREATED, owned_by: 'switchyard' })) });
}
