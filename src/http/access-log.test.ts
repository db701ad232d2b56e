/**
 * One access line per request, in pino's line shape: operators grep and ship
 * these, so each must be valid JSON whatever the client put in its request id.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { accessLogger, createLogger } from './logger.js';
import { startStack, type Stack } from '../test-support/stack.js';

let stack: Stack;
const lines: string[] = [];

before(async () => {
  stack = await startStack({ logLines: lines });
});
after(() => stack.close());

const accessLines = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');

test('each request logs one line: id, route, status, time, provider, attempts', async () => {
  lines.length = 0;
  const weirdId = 'id "with" quotes \\ and\nnewline';
  const res = await fetch(`${stack.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': encodeURI(weirdId) },
    body: JSON.stringify({ model: 'via-openai', messages: [{ role: 'user', content: 'hi' }] }),
  });
  assert.equal(res.status, 200);
  await res.text();
  await fetch(`${stack.url}/nope`).then((r) => r.text());
  // The line is written when the response closes, just after the client has the body.
  for (let i = 0; i < 50 && accessLines().length < 2; i++) await new Promise((r) => setImmediate(r));
  const [chat, missing] = accessLines();
  assert.equal(chat?.requestId, encodeURI(weirdId));
  assert.equal(chat.level, 30);
  assert.equal(typeof chat.time, 'number');
  assert.equal(chat.method, 'POST');
  assert.equal(chat.path, '/v1/chat/completions');
  assert.equal(chat.status, 200);
  assert.equal(typeof chat.ms, 'number');
  assert.equal(chat.provider, 'sim-openai');
  assert.equal(chat.attempts, 1);
  assert.equal(chat.aborted, undefined);
  assert.equal(missing?.status, 404);
  assert.equal(missing.path, '/nope');
  assert.equal(missing.provider, undefined);
});

test('access lines are escaped JSON and follow the logger level', () => {
  const out: string[] = [];
  const log = accessLogger(createLogger('info', { write: (s) => void out.push(s) }));
  log({ requestId: 'a"b\\c\n', method: 'POST', path: '/v1/x"y', status: 499, ms: 1.5, aborted: true });
  const line = JSON.parse(out[0]!) as Record<string, unknown>;
  assert.deepEqual({ ...line, time: 0 }, { level: 30, time: 0, requestId: 'a"b\\c\n', method: 'POST', path: '/v1/x"y', status: 499, ms: 1.5, aborted: true, msg: 'request' });
  const quiet: string[] = [];
  accessLogger(createLogger('warn', { write: (s) => void quiet.push(s) }))({ requestId: 'r', method: 'GET', path: '/', status: 200, ms: 0 });
  assert.deepEqual(quiet, []);
});
