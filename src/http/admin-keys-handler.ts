/**
 * `/admin/keys`: managing virtual keys over HTTP (issue #25 item 1), framework-free, behind the
 * admin key (`Authorization: Bearer <guard.admin_key>`, compared in constant time). Without an
 * admin key configured the API is off. Errors are OpenAI-shaped JSON. A key's secret appears
 * only in the answers to create and rotate; no answer carries a hash or a provider credential.
 *
 *   POST   /admin/keys                 create            -> 201, the key once
 *   GET    /admin/keys                 list
 *   GET    /admin/keys/{id}            show
 *   PATCH  /admin/keys/{id}            update (null clears a field)
 *   POST   /admin/keys/{id}/revoke     revoke
 *   POST   /admin/keys/{id}/rotate     {grace_seconds} -> the new key once; the old one works for the grace
 *   GET    /admin/keys/{id}/usage      this instance's counters for the key and its team
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { carriesAdminKey } from '../guard/admin-auth.js';
import { KeyAdminError, type KeyAdmin } from '../guard/key-admin.js';
import { parseKeyCreate, parseKeyUpdate } from '../guard/key-input.js';
import { keyView, usageView } from '../guard/key-view.js';
import type { StoredKey } from '../storage/key-store.js';

/** What the handler needs: a Guard is one. */
export interface AdminKeysHost {
  readonly keys: KeyAdmin;
  readonly settings: { readonly adminKey?: string };
}

/** Admin bodies are a few fields; anything bigger is a mistake or an attack. */
export const MAX_ADMIN_BODY_BYTES = 64 * 1024;
export const DEFAULT_GRACE_SECONDS = 3_600;
const MAX_GRACE_SECONDS = 30 * 86_400;

class HttpProblem {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {}
}

const TYPES: Record<number, string> = { 400: 'invalid_request_error', 401: 'authentication_error', 404: 'not_found_error', 405: 'invalid_request_error', 413: 'invalid_request_error', 415: 'invalid_request_error' };

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(JSON.stringify(body));
  // Answers may carry a new key: no cache anywhere may keep them.
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': String(bytes.length), 'cache-control': 'no-store' });
  res.end(bytes);
}

function sendProblem(res: ServerResponse, p: HttpProblem): void {
  send(res, p.status, { error: { message: p.message, type: TYPES[p.status] ?? 'api_error', param: p.param, code: p.code } }, p.headers);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_ADMIN_BODY_BYTES) throw new HttpProblem(413, 'body_too_large', `The body is larger than ${MAX_ADMIN_BODY_BYTES} bytes.`, null, { connection: 'close' });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_ADMIN_BODY_BYTES) throw new HttpProblem(413, 'body_too_large', `The body is larger than ${MAX_ADMIN_BODY_BYTES} bytes.`, null, { connection: 'close' });
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpProblem(400, 'invalid_json', 'The body is not valid JSON.');
  }
}

function segment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HttpProblem(404, 'not_found', 'Malformed path.');
  }
}

function notFound(id: string): HttpProblem {
  return new HttpProblem(404, 'key_not_found', `No key with id "${id.slice(0, 64)}".`, 'id');
}

function found(k: StoredKey | undefined, id: string): StoredKey {
  if (!k) throw notFound(id);
  return k;
}

/** Route one request under /admin/keys. `path` has no query string. Never rejects. */
export async function handleAdminKeys(host: AdminKeysHost, req: IncomingMessage, res: ServerResponse, path: string, method: string): Promise<void> {
  try {
    const adminKey = host.settings.adminKey;
    if (adminKey === undefined) {
      throw new HttpProblem(404, 'admin_api_disabled', 'The admin API is disabled. Set guard.admin_key in the configuration (e.g. admin_key: ${SWITCHYARD_ADMIN_KEY}) or the SWITCHYARD_ADMIN_KEY environment variable, and restart.');
    }
    if (!carriesAdminKey(req.headers, adminKey)) {
      throw new HttpProblem(401, 'invalid_admin_key', 'This endpoint needs the admin key: Authorization: Bearer <admin key>.', null, { 'www-authenticate': 'Bearer' });
    }
    await route(host.keys, req, res, path, method);
  } catch (e) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (e instanceof HttpProblem) sendProblem(res, e);
    else if (e instanceof KeyAdminError) sendProblem(res, new HttpProblem(400, 'invalid_request', e.message, e.param ?? null));
    else sendProblem(res, new HttpProblem(500, 'internal_error', 'The key store failed; see the gateway log.'));
  }
}

async function route(keys: KeyAdmin, req: IncomingMessage, res: ServerResponse, path: string, method: string): Promise<void> {
  const under = path === '/admin/keys' || path.startsWith('/admin/keys/');
  const rest = under ? path.slice('/admin/keys/'.length) : '';
  const [id, action, ...extra] = rest === '' ? [] : rest.split('/').map(segment);
  const allow = (methods: string) => {
    if (!methods.split(', ').includes(method)) throw new HttpProblem(405, 'method_not_allowed', `${method} is not allowed on ${path}; allowed: ${methods}.`, null, { allow: methods });
  };
  if (!under || extra.length > 0 || (id === '' && action !== undefined)) throw new HttpProblem(404, 'not_found', `Unknown admin path ${path.slice(0, 100)}.`);
  const now = keys.now();

  if (id === undefined) {
    allow('GET, POST');
    if (method === 'GET') return send(res, 200, { object: 'list', data: (await keys.list()).map((k) => keyView(k, now)) });
    const input = parseKeyCreate(await readJson(req));
    if (!input.ok) throw new HttpProblem(400, 'invalid_request', input.message, input.param);
    const { key, secret } = await keys.create(input.value);
    return send(res, 201, { ...keyView(key, now, keys.effectiveLimits(key)), key: secret, warning: 'Store this key now: it is shown only this once.' });
  }
  if (action === undefined) {
    allow('GET, PATCH');
    if (method === 'GET') {
      const k = found(await keys.get(id), id);
      return send(res, 200, keyView(k, now, keys.effectiveLimits(k)));
    }
    const patch = parseKeyUpdate(await readJson(req));
    if (!patch.ok) throw new HttpProblem(400, 'invalid_request', patch.message, patch.param);
    const k = found(await keys.update(id, patch.value), id);
    return send(res, 200, keyView(k, now, keys.effectiveLimits(k)));
  }
  if (action === 'revoke') {
    allow('POST');
    return send(res, 200, keyView(found(await keys.revoke(id), id), now));
  }
  if (action === 'rotate') {
    allow('POST');
    const body = (await readJson(req)) as { grace_seconds?: unknown } | null;
    const grace = body !== null && typeof body === 'object' && body.grace_seconds !== undefined ? body.grace_seconds : DEFAULT_GRACE_SECONDS;
    if (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS) {
      throw new HttpProblem(400, 'invalid_request', `expected whole seconds from 0 to ${MAX_GRACE_SECONDS} (30 days)`, 'grace_seconds');
    }
    const out = await keys.rotate(id, grace * 1000);
    if (!out) throw notFound(id);
    return send(res, 200, { ...keyView(out.key, now), key: out.secret, warning: `Store this key now: it is shown only this once. The previous key works for ${grace} more seconds.` });
  }
  if (action === 'usage') {
    allow('GET');
    const u = await keys.usage(id);
    if (!u) throw notFound(id);
    const [own, team] = u.usage;
    return send(res, 200, { object: 'key_usage', id, key: usageView(own!), team: team ? usageView(team) : null, scope: 'this gateway instance; counters start from zero when it restarts' });
  }
  throw new HttpProblem(404, 'not_found', `Unknown admin action "${action.slice(0, 40)}"; expected revoke, rotate or usage.`);
}
