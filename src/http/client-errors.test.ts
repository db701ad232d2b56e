/**
 * Bad input gets a clear error in OpenAI's shape, never a crash; upstream
 * errors keep their meaning; provider keys never leak (issue #2 acceptance).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { startStack, type Stack } from '../test-support/stack.js';

let stack: Stack;
const logLines: string[] = [];

// An upstream that echoes the credential it was sent, as a careless (or hostile) server might.
const LEAKY_KEY = 'sk-live-SECRET-should-never-leak-1234567890';
let leaky: Server;

before(async () => {
  leaky = createServer((req, res) => {
    const auth = String(req.headers.authorization ?? '');
    req.resume();
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `Upstream trouble for ${auth} (key ${auth.replace('Bearer ', '')})`, type: 'server_error' } }));
  });
  await new Promise<void>((r) => leaky.listen(0, '127.0.0.1', r));
  const leakyUrl = `http://127.0.0.1:${(leaky.address() as AddressInfo).port}/v1`;
  stack = await startStack({
    logLines,
    configure: (c) => ({
      ...c,
      server: { ...c.server, maxBodyBytes: 64 * 1024 },
      providers: [...c.providers, { name: 'leaky', type: 'openai-compatible', baseUrl: leakyUrl, apiKey: LEAKY_KEY, headers: {}, query: {} }],
      models: [...c.models, { name: 'leaky', targets: [{ provider: 'leaky', model: 'm' }] }],
    }),
  });
});
after(async () => {
  await stack.close();
  await new Promise<void>((r) => leaky.close(() => r()));
});

async function post(path: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(stack.url + path, { method: 'POST', headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as { error: { message: string; type: string; param?: string | null; code?: string | null } } };
}

describe('bad input is answered in OpenAI error shape', () => {
  test('malformed JSON -> 400', async () => {
    const r = await post('/v1/chat/completions', '{"model": "chat", "messages": [');
    assert.equal(r.status, 400);
    assert.equal(r.json.error.type, 'invalid_request_error');
    assert.match(r.json.error.message, /not valid JSON/);
  });

  test('missing field -> 400 naming it', async () => {
    const r = await post('/v1/chat/completions', JSON.stringify({ model: 'chat' }));
    assert.equal(r.status, 400);
    assert.equal(r.json.error.param, 'messages');
  });

  test('invalid field -> 400 naming the exact path', async () => {
    const r = await post('/v1/chat/completions', JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }, { role: 'wizard', content: 'x' }] }));
    assert.equal(r.status, 400);
    assert.match(String(r.json.error.param), /^messages\[1\]/);
  });

  test('unknown model -> 404 listing the available ones', async () => {
    const r = await post('/v1/chat/completions', JSON.stringify({ model: 'gpt-17', messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal(r.status, 404);
    assert.match(r.json.error.message, /gpt-17/);
    for (const m of stack.config.models) assert.ok(r.json.error.message.includes(m.name), `lists ${m.name}`);
    const long = await post('/v1/chat/completions', JSON.stringify({ model: 'm'.repeat(20_000), messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal(long.status, 404);
    assert.ok(long.json.error.message.length < 600, 'the name it echoes is clipped');
  });

  test('a UTF-8 byte order mark before the JSON is ignored (RFC 8259), also when the body is forwarded as sent', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }))]);
    const res = await fetch(`${stack.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(res.status, 200);
    const answer = (await res.json()) as { choices: { message: { content: string } }[] };
    assert.equal(typeof answer.choices[0]!.message.content, 'string');
  });

  test('bytes that are not valid HTTP -> 400, oversized headers -> 431, each with a JSON error and the connection closed', async () => {
    const { connect } = await import('node:net');
    const send = (bytes: string) =>
      new Promise<string>((resolve, reject) => {
        const s = connect(Number(new URL(stack.url).port), '127.0.0.1');
        let out = '';
        s.on('data', (d: Buffer) => (out += d.toString()));
        s.on('end', () => resolve(out));
        s.on('error', reject);
        s.write(bytes);
      });
    const head = 'POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n';
    const cases: [string, number][] = [
      [`${head}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}`, 400],
      [`${head}Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, 400],
      [`GET /healthz HTTP/1.1\r\nHost: gw\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    ];
    for (const [bytes, status] of cases) {
      const answer = await send(bytes);
      assert.match(answer, new RegExp(`^HTTP/1.1 ${status} `));
      assert.match(answer, /\r\nConnection: close\r\n/);
      const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { type: string; code: string } };
      assert.deepEqual([body.error.type, body.error.code], ['invalid_request_error', 'bad_http_request']);
    }
  });

  test('body over the limit -> 413', async () => {
    const big = JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'x'.repeat(100 * 1024) }] });
    const r = await post('/v1/chat/completions', big);
    assert.equal(r.status, 413);
    assert.match(r.json.error.message, /limit/);
  });

  test('wrong content type -> 415', async () => {
    const r = await post('/v1/chat/completions', 'model=chat', { 'content-type': 'application/x-www-form-urlencoded' });
    assert.equal(r.status, 415);
    assert.match(r.json.error.message, /application\/json/);
  });

  test('unknown route -> 404, wrong method -> 405', async () => {
    const r = await post('/v1/nothing-here', '{}');
    assert.equal(r.status, 404);
    assert.equal(typeof r.json.error.message, 'string');
    const g = await fetch(`${stack.url}/v1/chat/completions`);
    assert.equal(g.status, 405);
  });

  test('JSON nested thousands of levels deep -> 400 nested_too_deeply, in the client\'s shape, for translated targets and the Messages API alike', async () => {
    const deep = (n: number) => '['.repeat(n) + '"x"' + ']'.repeat(n);
    const tools = `[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"enum":${deep(25_000)}}}}}}]`;
    for (const model of ['via-anthropic', 'via-gemini']) {
      const r = await post('/v1/chat/completions', `{"model":"${model}","messages":[{"role":"user","content":"hi"}],"tools":${tools}}`);
      assert.equal(r.status, 400, model);
      assert.equal(r.json.error.code, 'nested_too_deeply');
      assert.equal(r.json.error.type, 'invalid_request_error');
    }
    const messages = `[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{"a":${deep(25_000)}}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]}]`;
    for (const path of ['/v1/messages', '/v1/messages/count_tokens']) {
      const r = await post(path, `{"model":"claude","max_tokens":10,"messages":${messages}}`, { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' });
      const body = JSON.parse(r.text) as { type: string; error: { type: string; message: string } };
      assert.equal(r.status, 400, path);
      assert.deepEqual([body.type, body.error.type], ['error', 'invalid_request_error']);
      assert.match(body.error.message, /nested too deeply/);
    }
  });

  test('the SDK surfaces these as typed errors', async () => {
    const client = new OpenAI({ baseURL: `${stack.url}/v1`, apiKey: 'x', maxRetries: 0 });
    await assert.rejects(client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }), (e: unknown) => e instanceof OpenAI.NotFoundError);
    await assert.rejects(client.chat.completions.create({ model: 'chat', messages: [] }), (e: unknown) => e instanceof OpenAI.BadRequestError);
  });
});

describe('upstream errors keep their meaning', () => {
  // Each case gets its own stack: parked targets and breakers are shared state by design.
  async function fresh<T>(fn: (st: Stack) => Promise<T>): Promise<T> {
    const st = await startStack();
    try {
      return await fn(st);
    } finally {
      await st.close();
    }
  }
  const ask = (st: Stack, model: string) =>
    fetch(`${st.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }) });

  test('a 429 with Retry-After reaches the client as a 429 with its body and Retry-After', () =>
    fresh(async (st) => {
      st.sims.openai.faults.set([{ fault: { kind: 'status', status: 429, retryAfterSeconds: 5 } }]);
      const res = await ask(st, 'via-openai');
      const json = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(res.status, 429);
      // OpenAI's own rate-limit body (type `requests`, code `rate_limit_exceeded`) arrives as OpenAI sent it.
      assert.equal(json.error.code, 'rate_limit_exceeded');
      assert.match(json.error.message, /rate limit/i);
      assert.equal(res.headers.get('retry-after'), '5');
      assert.equal(st.sims.openai.stats.requests, 1, 'a rate limit is not retried on the same credential');
    }));

  test('an Anthropic 529 overloaded reaches an OpenAI client as a server-side error saying so', () =>
    fresh(async (st) => {
      st.sims.anthropic.faults.set([{ fault: { kind: 'status', status: 529 } }]);
      const res = await ask(st, 'via-anthropic');
      const json = (await res.json()) as { error: { message: string } };
      assert.ok(res.status === 529 || res.status === 503, `status ${res.status}`);
      assert.match(json.error.message, /overloaded/i);
      assert.equal(res.headers.get('x-should-retry'), 'false', 'the gateway already retried');
    }));

  test('an edge HTML 502 becomes a clear JSON error, not an HTML dump', () =>
    fresh(async (st) => {
      st.sims.gemini.faults.set([{ fault: { kind: 'edge-html', status: 502 } }]);
      const res = await ask(st, 'via-gemini');
      const text = await res.text();
      assert.equal(res.status, 502);
      assert.doesNotMatch(text, /<html/i);
      assert.match(text, /502/);
    }));

  test('with a route of several targets, one failing upstream is skipped', () =>
    fresh(async (st) => {
      st.sims.openai.faults.set([{ fault: { kind: 'status', status: 503 }, times: 1 }]);
      const res = await ask(st, 'chat');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-switchyard-provider'), 'sim-anthropic');
      assert.equal(res.headers.get('x-switchyard-attempts'), '2');
      assert.equal(res.headers.get('x-should-retry'), 'false');
    }));
});

describe('secrets', () => {
  test('a provider key echoed by an upstream never reaches the client or the logs', async () => {
    const json = await post('/v1/chat/completions', JSON.stringify({ model: 'leaky', messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal(json.status, 503);
    assert.ok(!json.text.includes(LEAKY_KEY), 'response body has no key');
    const stream = await post('/v1/chat/completions', JSON.stringify({ model: 'leaky', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
    assert.ok(!stream.text.includes(LEAKY_KEY));
    assert.ok(logLines.length > 0, 'the gateway logged these requests');
    for (const line of logLines) {
      assert.ok(!line.includes(LEAKY_KEY), `log line leaks the key: ${line}`);
      for (const p of stack.config.providers) if (p.apiKey) assert.ok(!line.includes(p.apiKey));
    }
  });
});
