/**
 * `switchyard serve` end to end on loopback: config file -> gateway -> a
 * simulated provider, answered through the OpenAI route; port precedence
 * visible in the printed URL; a signal stops it cleanly with exit 0.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSim } from '../sim/index.js';
import { runServe } from './serve.js';
import { testIo, type TestIo } from './test-io.js';

async function waitFor(io: TestIo, re: RegExp): Promise<RegExpExecArray> {
  // Polls captured output; the server prints its URL once listening. Startup loads the config in a worker
  // thread (from source, under tsx, that worker compiles TypeScript first): allow it seconds, not ticks.
  const until = Date.now() + 15_000;
  for (let i = 0; Date.now() < until; i++) {
    const m = re.exec(io.out());
    if (m) return m;
    await new Promise((r) => (i < 100 ? setImmediate(r) : setTimeout(r, 10)));
  }
  assert.fail(`timed out waiting for ${re}; stdout: ${io.out()}; stderr: ${io.err()}`);
}

test('serves the configured routes, prints the URL, stops on a signal', async () => {
  const sim = createSim('anthropic');
  const origin = await sim.start();
  try {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-serve-'));
    writeFileSync(
      join(dir, 'switchyard.yaml'),
      `server: { port: 1 }\nproviders:\n  - { name: claude, type: anthropic, base_url: "${origin}", api_key: "\${KEY}" }\nmodels:\n  - { name: chat, targets: [{ provider: claude, model: claude-haiku-4-5 }] }\n`,
    );
    const io = testIo({ cwd: dir, env: { KEY: 'sk-ant-test-FAKE' } });
    // --port 0 beats the file's port 1 (which would need privileges).
    const exit = runServe(['--port', '0'], io);
    const [, url] = await waitFor(io, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    assert.notEqual(url, 'http://127.0.0.1:1');
    assert.match(io.out(), /models: chat/);

    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'Hello' }] }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    assert.ok((body.choices[0]?.message.content ?? '').length > 0);

    io.stop('SIGTERM');
    assert.equal(await exit, 0);
    assert.match(io.err(), /SIGTERM: finishing open requests/);
    await assert.rejects(fetch(`${url}/healthz`));
  } finally {
    await sim.stop();
  }
});

test('a port already in use is an actionable error, exit 1', async () => {
  const sim = createSim('anthropic', { port: 0 });
  const origin = await sim.start();
  try {
    const port = new URL(origin).port;
    const io = testIo({ cwd: mkdtempSync(join(tmpdir(), 'switchyard-serve-')) });
    assert.equal(await runServe(['--port', port], io), 1);
    assert.match(io.err(), new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use; choose another with --port`));
  } finally {
    await sim.stop();
  }
});

test('a gemini base_url without its version path is fixed at start-up, with a note on stderr, and calls succeed', async () => {
  const sim = createSim('gemini');
  const origin = await sim.start();
  try {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-serve-'));
    // The bare origin, as js-genai's httpOptions.baseUrl takes it; the sim serves /v1beta like Google.
    writeFileSync(
      join(dir, 'switchyard.yaml'),
      `providers:\n  - { name: g, type: gemini, base_url: "${origin}", api_key: AIza-FAKE }\nmodels:\n  - { name: chat, targets: [{ provider: g, model: gemini-2.5-flash }] }\n`,
    );
    const io = testIo({ cwd: dir, env: {} });
    const exit = runServe(['--port', '0'], io);
    const [, url] = await waitFor(io, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    assert.match(io.err(), new RegExp(`note: provider g: base_url ${origin.replace(/[.]/g, '\\.')} has no API version path.*using ${origin.replace(/[.]/g, '\\.')}/v1beta`));
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'Hello' }] }),
    });
    assert.equal(res.status, 200);
    io.stop('SIGTERM');
    assert.equal(await exit, 0);
  } finally {
    await sim.stop();
  }
});
