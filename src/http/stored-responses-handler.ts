/**
 * `GET /v1/responses/{id}` and `DELETE /v1/responses/{id}` as in OpenAI's
 * API, answered from the journal whichever target wrote the response (issue
 * #26, stateful Responses on any provider). A viewer sees only its own key's
 * responses unless it is an admin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { responseDeleted, storedResponse } from '../journal/responses-state.js';
import type { JournalReader } from '../storage/journal-store.js';
import { methodNotAllowed, notFound, sendError, type JournalViewer } from './conversations-handler.js';
import { sendJson } from './respond.js';

const PREFIX = '/v1/responses/';

export async function handleStoredResponses(journal: JournalReader, req: IncomingMessage, res: ServerResponse, path: string, viewer: JournalViewer): Promise<void> {
  const id = path.startsWith(PREFIX) ? decodeURIComponent(path.slice(PREFIX.length)) : '';
  if (id === '' || id.includes('/')) return sendError(res, notFound(`Unknown path '${path}'.`));
  if (req.method !== 'GET' && req.method !== 'DELETE') return methodNotAllowed(res, 'GET, DELETE');
  const body = await storedResponse(journal, id, viewer.keyId, viewer.admin);
  if (!body) return sendError(res, notFound(`Response with id '${id}' not found.`));
  if (req.method === 'DELETE') {
    await journal.deleteResponse(id);
    return sendJson(res, 200, responseDeleted(id));
  }
  sendJson(res, 200, body);
}
