/**
 * The journal's HTTP handlers on a real socket: the conversations API with
 * plain fetch, the stored Responses API with the official `openai` SDK.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { anthropicMessages } from '../formats/anthropic-messages/index.js';
import { decodeResponsesRequest } from '../formats/openai-responses/decode-request.js';
import { gemini } from '../formats/gemini/index.js';
import { JournalIngest } from '../journal/ingest.js';
import { defaultRedaction } from '../journal/journal-config.js';
import { ContentRedactor } from '../journal/redact.js';
import { previousMessages, previousResponseNotFound, takeStatefulFields } from '../journal/responses-state.js';
import { jsonExchange, T0, user } from '../test-support/journal-captures.js';
import { MemoryJournalStore } from '../storage/memory/memory-journal-store.js';
import { handleConversations } from './conversations-handler.js';
import { handleStoredResponses } from './stored-responses-handler.js';

const journal = new MemoryJournalStore();
let server: Server;
let base: string;

/** Test routing only: the viewer comes from test headers (the gateway's guard decides it for real). */
function viewerOf(h: Record<string, string | string[] | undefined>) {
  const key = h['x-test-key'];
  return { ...(typeof key === 'string' ? { keyId: key } : {}), admin: h['x-test-admin'] === '1' };
}

before(async () => {
  const ingest = new JournalIngest(journal, new ContentRedactor(defaultRedaction()));
  const commit = (rec: ReturnType<typeof jsonExchange>) => ingest.ingest([rec]);
  // Two keys' chat conversations.
  await commit(jsonExchange([user('Kubernetes pods keep restarting')], 'Check the liveness probe.', { keyId: 'k1' }, T0));
  await commit(jsonExchange([user('Plan a trip to Oslo')], 'Day one: the fjord.', { keyId: 'k1', alias: 'claude' }, T0 + 60_000));
  await commit(jsonExchange([user('Secret project notes')], 'Noted.', { keyId: 'k2' }, T0 + 120_000));
  // A Responses API conversation begun on OpenAI, continued on Anthropic.
  const first = jsonExchange([{ role: 'system', content: [{ type: 'text', text: 'Answer in one word.' }] }, user('Capital of France?')], 'Paris.', { keyId: 'k1', ingress: 'openai-responses', responses: { id: 'resp_first', instructions: true } }, T0 + 180_000);
  const second = jsonExchange([user('And Italy?')], 'Rome.', { keyId: 'k1', ingress: 'openai-responses', responses: { id: 'resp_second', previousResponseId: 'resp_first', instructions: false } }, T0 + 240_000);
  second.attempts[0] = { ...second.attempts[0]!, provider: 'anthropic', model: 'claude-3-5-haiku-latest' };
  await commit(first);
  await commit(second);

  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const viewer = viewerOf(req.headers);
    const done = path.startsWith('/v1/conversations') ? handleConversations(journal, req, res, path, viewer) : handleStoredResponses(journal, req, res, path, viewer);
    done.catch((e: unknown) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((r) => server.close(r));
});

const get = (path: string, key = 'k1', admin = false, method = 'GET') => fetch(base + path, { method, headers: { 'x-test-key': key, ...(admin ? { 'x-test-admin': '1' } : {}) } });
const titles = async (r: Response) => ((await r.json()) as { data: { title: string }[] }).data.map((c) => c.title);

describe('GET /v1/conversations', () => {
  it("lists the viewer's own key's conversations, most recent first; an admin may pick any key", async () => {
    assert.deepEqual(await titles(await get('/v1/conversations')), ['Capital of France?', 'Plan a trip to Oslo', 'Kubernetes pods keep restarting']);
    assert.deepEqual(await titles(await get('/v1/conversations?key=k2')), ['Capital of France?', 'Plan a trip to Oslo', 'Kubernetes pods keep restarting'], 'key= is ignored for a non-admin');
    assert.deepEqual(await titles(await get('/v1/conversations?key=k2', 'k1', true)), ['Secret project notes']);
  });

  it('filters by alias, time and words, and pages with next_cursor', async () => {
    assert.deepEqual(await titles(await get('/v1/conversations?alias=claude')), ['Plan a trip to Oslo']);
    assert.deepEqual(await titles(await get(`/v1/conversations?from=${new Date(T0 + 30_000).toISOString()}&to=${Math.floor((T0 + 90_000) / 1000)}`)), ['Plan a trip to Oslo']);
    assert.deepEqual(await titles(await get('/v1/conversations?q=liveness')), ['Kubernetes pods keep restarting']);
    const page1 = (await (await get('/v1/conversations?limit=2')).json()) as { data: { id: string }[]; has_more: boolean; next_cursor: string };
    assert.equal(page1.data.length, 2);
    assert.equal(page1.has_more, true);
    const page2 = (await (await get(`/v1/conversations?limit=2&after=${page1.next_cursor}`)).json()) as { data: unknown[]; has_more: boolean; next_cursor: null };
    assert.deepEqual([page2.data.length, page2.has_more, page2.next_cursor], [1, false, null]);
  });

  it('bad parameters are 400s naming the parameter', async () => {
    const r = await get('/v1/conversations?limit=500');
    assert.equal(r.status, 400);
    assert.deepEqual(((await r.json()) as { error: unknown }).error, { message: "Invalid 'limit': expected a whole number from 1 to 100.", type: 'invalid_request_error', param: 'limit', code: 'invalid_request' });
    assert.equal((await get('/v1/conversations?from=yesterday')).status, 400);
    assert.equal((await get('/v1/conversations', 'k1', false, 'POST')).status, 405);
  });
});

describe('GET and DELETE /v1/conversations/{id}', () => {
  const idOf = async (title: string, key = 'k1') => ((await (await get('/v1/conversations', key)).json()) as { data: { id: string; title: string }[] }).data.find((c) => c.title === title)!.id;

  it('exports in each format with its content type', async () => {
    const id = await idOf('Kubernetes pods keep restarting');
    const json = await get(`/v1/conversations/${id}`);
    assert.equal(json.headers.get('content-type'), 'application/json');
    assert.equal(((await json.json()) as { id: string }).id, id);
    const openai = await get(`/v1/conversations/${id}?format=openai`);
    assert.equal(openai.headers.get('content-type'), 'application/x-ndjson');
    assert.deepEqual(JSON.parse((await openai.text()).trim()), { model: 'chat', messages: [{ role: 'user', content: 'Kubernetes pods keep restarting' }, { role: 'assistant', content: 'Check the liveness probe.' }] });
    const anthropic = JSON.parse((await (await get(`/v1/conversations/${id}?format=anthropic`)).text()).trim()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(anthropic), ['model', 'max_tokens', 'messages']);
    const md = await get(`/v1/conversations/${id}?format=markdown`);
    assert.equal(md.headers.get('content-type'), 'text/markdown; charset=utf-8');
    assert.match(await md.text(), /^# Kubernetes pods keep restarting/);
    const bad = await get(`/v1/conversations/${id}?format=pdf`);
    assert.equal(bad.status, 400);
  });

  it("another key's conversation is not found; a missing one neither; delete removes it", async () => {
    const theirs = await idOf('Secret project notes', 'k2');
    const r = await get(`/v1/conversations/${theirs}`);
    assert.equal(r.status, 404);
    assert.deepEqual(((await r.json()) as { error: unknown }).error, { message: `No conversation found with id '${theirs}'.`, type: 'not_found_error', param: null, code: 'not_found' });
    assert.equal((await get(`/v1/conversations/${theirs}`, 'k1', false, 'DELETE')).status, 404);
    const del = await get(`/v1/conversations/${theirs}`, 'k2', false, 'DELETE');
    assert.deepEqual(await del.json(), { id: theirs, object: 'conversation.deleted', deleted: true });
    assert.equal((await get(`/v1/conversations/${theirs}`, 'k2')).status, 404);
  });
});

describe('stored Responses: GET and DELETE /v1/responses/{id} with the openai SDK', () => {
  const client = (key = 'k1') => new OpenAI({ baseURL: `${base}/v1`, apiKey: 'sk-test-FAKE', maxRetries: 0, defaultHeaders: { 'x-test-key': key } });

  it('retrieves a response continued on another provider, in OpenAI shape, with its previous_response_id', async () => {
    const r = await client().responses.retrieve('resp_second');
    assert.equal(r.id, 'resp_second');
    assert.equal(r.object, 'response');
    assert.equal(r.status, 'completed');
    assert.equal(r.output_text, 'Rome.');
    assert.equal(r.previous_response_id, 'resp_first');
    assert.equal(r.usage?.total_tokens, 15);
    const first = await client().responses.retrieve('resp_first');
    assert.equal(first.instructions, 'Answer in one word.');
    assert.equal(first.output_text, 'Paris.');
  });

  it('previous_response_id rebuilds the conversation, which any provider format can carry', async () => {
    const fields = takeStatefulFields({ model: 'chat', input: 'And Spain?', previous_response_id: 'resp_second', store: true });
    assert.equal(fields.previousResponseId, 'resp_second');
    const req = decodeResponsesRequest(fields.body);
    const history = (await previousMessages(journal, 'resp_second', 'k1'))!;
    assert.deepEqual(history.map((m) => `${m.role}: ${m.content.map((p) => (p.type === 'text' ? p.text : '')).join('')}`), ['user: Capital of France?', 'assistant: Paris.', 'user: And Italy?', 'assistant: Rome.']);
    const next = { ...req, messages: [...history, ...req.messages] };
    assert.equal((anthropicMessages.encodeRequest(next, 'claude-3-5-haiku-latest').messages as unknown[]).length, 5);
    assert.equal((gemini.encodeRequest(next, 'gemini-2.0-flash').contents as unknown[]).length, 5);
    assert.equal(await previousMessages(journal, 'resp_second', 'k2'), undefined, "another key's response is not continued");
    assert.equal(previousResponseNotFound('resp_x').status, 400);
    assert.throws(() => takeStatefulFields({ previous_response_id: 42 }), /previous_response_id/);
  });

  it("another key's response is not found; DELETE answers response.deleted; the continuation keeps its own turn", async () => {
    await assert.rejects(client('k2').responses.retrieve('resp_first'), (e: unknown) => e instanceof OpenAI.NotFoundError);
    const res = await fetch(`${base}/v1/responses/resp_first`, { method: 'DELETE', headers: { 'x-test-key': 'k1' } });
    assert.deepEqual(await res.json(), { id: 'resp_first', object: 'response.deleted', deleted: true });
    await assert.rejects(client().responses.retrieve('resp_first'), (e: unknown) => e instanceof OpenAI.NotFoundError);
    await client().responses.delete('resp_second');
    await assert.rejects(client().responses.retrieve('resp_second'), (e: unknown) => e instanceof OpenAI.NotFoundError);
  });
});
