/**
 * `switchyard demo` end to end: no keys, no network beyond loopback. The
 * printed commands must work as printed (JSON and streamed chat), and Ctrl-C
 * stops the gateway and the simulators.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDemo } from './demo.js';
import { testIo } from './test-io.js';

test('demo answers the printed curl requests and stops on Ctrl-C', async () => {
  const io = testIo();
  const exit = runDemo(['--port', '0'], io);
  let m: RegExpExecArray | null = null;
  for (let i = 0; i < 500 && !m; i++) {
    m = /^Gateway: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(io.out());
    if (!m) await new Promise((r) => setTimeout(r, 5));
  }
  assert.ok(m, `no gateway URL in: ${io.out()}${io.err()}`);
  const url = m[1]!;
  const out = io.out();
  // What the user is told to try: both curl lines, the OpenAI SDK snippet and the Anthropic hint.
  assert.match(out, new RegExp(`curl -s ${url}/v1/chat/completions`));
  assert.match(out, /"stream":true/);
  assert.match(out, new RegExp(`new OpenAI\\(\\{ baseURL: '${url}/v1', apiKey: 'anything' \\}\\)`));
  assert.match(out, new RegExp(`new Anthropic\\(\\{ baseURL: '${url}'`));

  // Replay the two printed curl bodies.
  const bodies = [...out.matchAll(/-d '(\{"model":"chat".*\})'/g)].map((x) => x[1]!);
  assert.equal(bodies.length, 2);
  const json = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[0] });
  assert.equal(json.status, 200);
  const answer = (await json.json()) as { object: string; choices: { message: { content: string } }[] };
  assert.equal(answer.object, 'chat.completion');
  assert.ok((answer.choices[0]?.message.content ?? '').length > 0);

  const streamed = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[1] });
  assert.equal(streamed.status, 200);
  assert.match(streamed.headers.get('content-type') ?? '', /^text\/event-stream/);
  const text = await streamed.text();
  assert.match(text, /"object":"chat\.completion\.chunk"/);
  assert.match(text, /data: \[DONE\]\n\n$/);

  // The printed outage command makes `chat` fail over from the simulated OpenAI.
  const fault = /curl -s -X PUT (\S+) -d '(.*)'/.exec(out);
  assert.ok(fault);
  assert.equal((await fetch(fault[1]!, { method: 'PUT', body: fault[2] })).status < 300, true);
  const after = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[0] });
  assert.equal(after.status, 200);
  assert.equal(after.headers.get('x-switchyard-provider'), 'sim-anthropic');
  await after.arrayBuffer();

  // Same model, another cloud: with the simulated Anthropic overloaded, Claude on Bedrock answers.
  const [, cloudFault] = [...out.matchAll(/curl -s -X PUT (\S+) -d '(.*)'/g)];
  assert.ok(cloudFault);
  assert.equal((await fetch(cloudFault[1]!, { method: 'PUT', body: cloudFault[2] })).status < 300, true);
  const sameModel = /-d '(\{"model":"claude-sonnet-4-5".*\})'/.exec(out);
  assert.ok(sameModel);
  const claude = await fetch(`${url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: sameModel[1] });
  assert.equal(claude.status, 200);
  assert.equal(claude.headers.get('x-switchyard-provider'), 'sim-bedrock');
  assert.equal(((await claude.json()) as { type: string }).type, 'message');

  io.stop('SIGINT');
  assert.equal(await exit, 0);
  await assert.rejects(fetch(`${url}/healthz`));
});
