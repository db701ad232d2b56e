/**
 * The playground under `serve`: off unless `server.playground: true`; when on, the page is
 * served with no buttons (there is nothing simulated to break) and the fault route says so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runServe } from './serve.js';
import { testIo } from './test-io.js';

async function serveWith(yaml: string): Promise<{ url: string; stop(): Promise<number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-playground-serve-'));
  writeFileSync(join(dir, 'switchyard.yaml'), yaml);
  const io = testIo({ cwd: dir });
  const exit = runServe(['--port', '0'], io);
  const until = Date.now() + 15_000;
  let m: RegExpExecArray | null = null;
  while (!(m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(io.out())) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  assert.ok(m, io.out() + io.err());
  return { url: m[1]!, stop: () => (io.stop('SIGTERM'), exit) };
}

const PROVIDERS = 'providers:\n  - { name: claude, type: anthropic, base_url: "http://127.0.0.1:9" }\nmodels:\n  - { name: chat, targets: [{ provider: claude, model: claude-haiku-4-5 }] }\n';

test('serve: no playground unless the configuration asks for one', async () => {
  const off = await serveWith(`server: { port: 1 }\n${PROVIDERS}`);
  assert.equal((await fetch(`${off.url}/playground`)).status, 404);
  assert.equal(await off.stop(), 0);

  const on = await serveWith(`server: { port: 1, playground: true }\n${PROVIDERS}`);
  const page = await fetch(`${on.url}/playground`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<option value="chat">chat<\/option>/);
  assert.match(html, /nothing here to break/);
  assert.doesNotMatch(html, /data-mode=/);
  const broken = await fetch(`${on.url}/playground/faults`, { method: 'POST', body: JSON.stringify({ provider: 'claude', mode: 'down' }) });
  assert.equal(broken.status, 404);
  assert.match(await broken.text(), /no simulated provider named \\"claude\\"; simulated: none/);
  // The gateway's own routes still answer behind the playground's.
  assert.equal((await fetch(`${on.url}/healthz`)).status, 200);
  assert.equal(await on.stop(), 0);
});
