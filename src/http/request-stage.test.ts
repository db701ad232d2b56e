/**
 * The request stage: steps every routed request passes before its handler. A refusal is answered in
 * the route's own client format, before the body is read; a step's bug is a 500 in that format too.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { gatewayError } from '../core/errors.js';
import type { RequestStep } from './context.js';
import { startStack, type Stack } from '../test-support/stack.js';

let st: Stack;
const seen: string[] = [];
const step: RequestStep = {
  admit(req, scope) {
    seen.push(scope.path);
    if (req.headers['x-test-refuse'] === '1') return { error: gatewayError('method_not_allowed', 'refused by the stage') };
    if (req.headers['x-test-throw'] === '1') throw new TypeError('a bug in a step');
    return undefined;
  },
};

before(async () => {
  st = await startStack({ stage: [step] });
});
after(() => st.close());

test('every routed request passes the stage; a refusal comes in the client format of the route', async () => {
  const openai = new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0, defaultHeaders: { 'x-test-refuse': '1' } });
  const e = await openai.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }).catch((x: unknown) => x);
  assert.ok(e instanceof OpenAI.APIError && e.status === 405 && /refused by the stage/.test(e.message));
  const ok = await new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0 }).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
  assert.ok(ok.choices[0]!.message.content);
  assert.ok(seen.includes('/v1/chat/completions'));
  assert.equal(st.sims.openai.stats.requests, 1, 'the refused request never reached a provider');
});

test('a bug in a step is a 500 in the client\'s own format, with the request id', async () => {
  const anthropic = new Anthropic({ baseURL: st.url, apiKey: 'x', maxRetries: 0, defaultHeaders: { 'x-test-throw': '1' } });
  const e = await anthropic.messages.create({ model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((x: unknown) => x);
  assert.ok(e instanceof Anthropic.InternalServerError, String(e));
  assert.equal((e.error as { type?: string }).type, 'error', 'the Anthropic error shape');
  assert.match(e.message, /Internal error in the gateway \(request req_/);
});
