/**
 * An upstream that answers badly in every way a real one (or something in front of it) has been
 * seen to: broken or empty JSON, an HTML page with 200, JSON to a streamed request, 204, a
 * redirect, oversized headers, a dropped connection. Each is that target's failure, never the
 * client's: the next target answers the same request, JSON and streamed, through the official
 * SDK, and the client never sees a 3xx or a 500.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { simAnswerText } from '../test-support/sim-answer.js';
import { startStack, type Stack } from '../test-support/stack.js';

const PROMPT = 'Say something reliable.';
const expected = simAnswerText(PROMPT);

const completion = JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'whole' }, finish_reason: 'stop' }] });

type Answer = (res: ServerResponse) => void;

/** How the hostile upstream answers, by the model it is asked for: to every request, or to streamed ones only. */
const BEHAVIOURS: Record<string, { answer: Answer; streamsOnly?: boolean }> = {
  'broken-json': { answer: (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": [') },
  'html-200': { answer: (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Sign in</title>') },
  'empty-200': { answer: (res) => res.writeHead(200, { 'content-type': 'application/json' }).end() },
  'json-to-a-stream': { answer: (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(completion), streamsOnly: true },
  'no-content-204': { answer: (res) => res.writeHead(204).end() },
  redirect: { answer: (res) => res.writeHead(302, { location: 'https://elsewhere.example/v1/chat/completions' }).end() },
  'oversized-headers': { answer: (res) => res.writeHead(200, { 'content-type': 'application/json', 'x-padding': 'a'.repeat(70_000) }).end(completion) },
  'dropped-connection': { answer: (res) => res.socket?.destroy() },
};

let hostile: Server;
let st: Stack;

before(async () => {
  hostile = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const sent = JSON.parse(body) as { model: string; stream?: boolean };
      const b = BEHAVIOURS[sent.model]!;
      if (b.streamsOnly && sent.stream !== true) res.writeHead(200, { 'content-type': 'application/json' }).end(completion);
      else b.answer(res);
    });
  });
  await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/v1`;
  st = await startStack({
    configure: (c) => ({
      ...c,
      providers: [...c.providers, { name: 'hostile', type: 'openai-compatible', baseUrl: base, apiKey: 'sk-hostile-FAKE', headers: {}, query: {} }],
      models: [
        ...c.models,
        ...Object.keys(BEHAVIOURS).map((b) => ({ name: b, targets: [{ provider: 'hostile', model: b }, { provider: 'sim-anthropic', model: 'claude-3-5-haiku-latest' }] })),
      ],
    }),
  });
});
after(async () => {
  await st.close();
  await new Promise<void>((r) => hostile.close(() => r()));
});

for (const [behaviour, { streamsOnly }] of Object.entries(BEHAVIOURS)) {
  test(`${behaviour}: the next target answers${streamsOnly ? ' the stream' : ', JSON and streamed'}`, async () => {
    const client = new OpenAI({ baseURL: `${st.url}/v1`, apiKey: 'x', maxRetries: 0 });
    if (!streamsOnly) {
      const json = await client.chat.completions.create({ model: behaviour, messages: [{ role: 'user', content: PROMPT }] }).withResponse();
      assert.equal(json.data.choices[0]!.message.content, expected);
      assert.equal(json.response.headers.get('x-switchyard-provider'), 'sim-anthropic');
      assert.equal(json.response.headers.get('x-switchyard-attempts'), '2', 'one attempt at the hostile target, then the next');
    }

    const { data: stream, response } = await client.chat.completions.create({ model: behaviour, stream: true, messages: [{ role: 'user', content: PROMPT }] }).withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, expected);
    assert.equal(response.headers.get('x-switchyard-provider'), 'sim-anthropic');
  });
}
