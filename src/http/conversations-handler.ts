/**
 * `GET /v1/conversations` (list: filter by key, alias, time; full-text `q`),
 * `GET /v1/conversations/{id}?format=json|openai|anthropic|markdown` and
 * `DELETE /v1/conversations/{id}` (issue #26, export and delete). A viewer
 * that is not an admin sees only its own key's conversations; someone else's
 * answers 404, as if it did not exist. Errors are OpenAI-shaped.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gatewayError, isGatewayError, type GatewayError } from '../core/errors.js';
import { openaiChat } from '../formats/openai-chat/index.js';
import { EXPORT_FORMATS, exportConversation, summaryJson, type ExportFormat } from '../journal/export.js';
import { listFilter, type JournalViewer } from '../journal/list-query.js';
import type { JournalReader } from '../storage/journal-store.js';
import { sendJson } from './respond.js';

export type { JournalViewer };

const PREFIX = '/v1/conversations';

export async function handleConversations(journal: JournalReader, req: IncomingMessage, res: ServerResponse, path: string, viewer: JournalViewer): Promise<void> {
  try {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    if (path === PREFIX || path === `${PREFIX}/`) {
      if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
      const filter = listFilter(
        { key: param(query, 'key'), alias: param(query, 'alias'), from: param(query, 'from'), to: param(query, 'to'), q: param(query, 'q'), limit: param(query, 'limit'), after: param(query, 'after') },
        viewer,
      );
      const page = await journal.listConversations(filter);
      return sendJson(res, 200, { object: 'list', data: page.conversations.map(summaryJson), has_more: page.nextCursor !== undefined, next_cursor: page.nextCursor ?? null });
    }
    const id = decodeURIComponent(path.slice(PREFIX.length + 1));
    if (id === '' || id.includes('/')) return sendError(res, notFound(`Unknown path '${path}'.`));
    if (req.method !== 'GET' && req.method !== 'DELETE') return methodNotAllowed(res, 'GET, DELETE');
    const conv = await journal.getConversation(id);
    if (!conv || (!viewer.admin && (conv.summary.keyId ?? undefined) !== viewer.keyId)) return sendError(res, notFound(`No conversation found with id '${id}'.`));
    if (req.method === 'DELETE') {
      await journal.deleteConversation(id);
      return sendJson(res, 200, { id, object: 'conversation.deleted', deleted: true });
    }
    const format = (param(query, 'format') ?? 'json') as ExportFormat;
    if (!EXPORT_FORMATS.includes(format)) {
      return sendError(res, gatewayError('invalid_request', `Invalid 'format': expected one of ${EXPORT_FORMATS.join(', ')}.`, { param: 'format' }));
    }
    let out;
    try {
      out = exportConversation(conv, format);
    } catch (e) {
      if (!isGatewayError(e)) throw e;
      return sendError(res, gatewayError('unexportable', `This conversation cannot be written as ${format} request bodies: ${e.message}`, { param: 'format' }));
    }
    const bytes = Buffer.from(out.body);
    res.writeHead(200, { 'content-type': out.contentType, 'content-length': String(bytes.length) });
    res.end(bytes);
  } catch (e) {
    if (isGatewayError(e)) return sendError(res, e);
    throw e;
  }
}

function param(q: URLSearchParams, name: string): string | undefined {
  return q.get(name) ?? undefined;
}

export function notFound(message: string): GatewayError {
  return gatewayError('not_found', message);
}

export function sendError(res: ServerResponse, err: GatewayError): void {
  const e = openaiChat.encodeError(err);
  sendJson(res, e.status, e.body, e.headers);
}

export function methodNotAllowed(res: ServerResponse, allow: string): void {
  const e = openaiChat.encodeError(gatewayError('method_not_allowed', `Method not allowed here; use ${allow}.`));
  sendJson(res, 405, e.body, { ...e.headers, allow });
}
