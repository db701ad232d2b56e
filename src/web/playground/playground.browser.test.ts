/**
 * Acceptance: the playground of `switchyard demo` in a real browser (Debian's Chromium via
 * playwright-core). Break the simulated OpenAI with "Cut mid-stream", ask `chat` for a
 * streamed answer: it completes — every word once, in order — and the page shows the switch,
 * which provider answered each part, the attempts and the time to first token. Then "Down":
 * a JSON answer comes from the next provider. Screenshots go to test-results/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '../../cli/demo.js';
import { testIo } from '../../cli/test-io.js';
import { planAnswer } from '../../sim/script.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];
const RESULTS = 'test-results';
const PROMPT = 'Tell me about switchyards, reply with 40 words.';

test('playground in headless Chromium: cut mid-stream, the answer completes on another provider with the switch shown', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip('chromium not installed: apt-get install -y chromium');
    return;
  }
  const io = testIo();
  const exit = runDemo(['--port', '0', '--no-traffic', '--no-outage'], io);
  let url: string | undefined;
  for (let i = 0; i < 500 && !url; i++) {
    url = /^Playground: (http:\/\/127\.0\.0\.1:\d+)\/playground/m.exec(io.out())?.[1];
    if (!url) await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(url, `no playground URL in: ${io.out()}${io.err()}`);
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'switchyard-playground-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
  t.after(async () => {
    await browser.close();
    io.stop('SIGINT');
    await exit;
    rmSync(profile, { recursive: true, force: true });
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));

  assert.equal((await page.goto(`${url}/playground`, { waitUntil: 'load' }))?.status(), 200);
  assert.deepEqual(await page.locator('#alias option').allTextContents(), ['chat', 'claude', 'gemini', 'via-openai', 'via-compat', 'via-anthropic', 'via-gemini', 'embed', 'via-bedrock', 'via-vertex', 'via-vertex-gemini', 'via-azure', 'claude-sonnet-4-5', 'gpt-4o']);
  assert.equal(await page.locator('#sims li').count(), 7, 'every simulated provider of the demo, the clouds too');

  // Break the simulated OpenAI: its streams are cut after a few words.
  const cut = page.locator('button[data-provider="sim-openai"][data-mode="cut"]');
  await cut.click();
  await page.locator('[data-sim="sim-openai"] .mode', { hasText: 'cut' }).waitFor();
  assert.equal(await cut.getAttribute('aria-pressed'), 'true');

  await page.selectOption('#alias', 'chat');
  await page.selectOption('#format', 'openai-chat');
  await page.fill('#prompt', PROMPT);
  await page.click('#send');
  await page.locator('#answer-status.good').waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('#answer-status').textContent(), 'complete, continued on another provider');

  // Every word once, in order, across the two providers.
  const expected = planAnswer({ model: '', lastUserText: PROMPT, tools: [], inputTokens: 0 });
  assert.equal(expected.kind, 'text');
  const text = (await page.locator('#answer-text .seg').allTextContents()).join('');
  assert.equal(text, expected.kind === 'text' ? expected.text : '');
  const targets = await page.locator('#answer-text .seg').evaluateAll((els) => els.map((e) => e.getAttribute('data-target')));
  assert.deepEqual(targets, ['sim-openai/gpt-4o-mini', 'sim-anthropic/claude-3-5-haiku-latest']);
  assert.ok(((await page.locator('#answer-text .seg').first().textContent()) ?? '').length > 0, 'the first part came from the provider that was cut');
  assert.equal((await page.locator('#answer-text .switch').textContent())?.trim(), '⇄ sim-openai/gpt-4o-mini → sim-anthropic/claude-3-5-haiku-latest (cut)');
  assert.match((await page.locator('#meta-attempts').textContent()) ?? '', /^2 \(1 to continue after a switch\)$/);
  assert.match((await page.locator('#meta-ttft').textContent()) ?? '', /^\d+ ms$/);
  assert.match(await page.locator('#log').innerText(), /switched from sim-openai\/gpt-4o-mini to sim-anthropic\/claude-3-5-haiku-latest \(cut\)/);
  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, 'playground-cut.png'), fullPage: true });

  // Down: a JSON answer in the Anthropic format comes from the next provider, after 2 attempts.
  await page.locator('button[data-provider="sim-openai"][data-mode="down"]').click();
  await page.locator('[data-sim="sim-openai"] .mode', { hasText: 'down' }).waitFor();
  await page.selectOption('#format', 'anthropic-messages');
  await page.uncheck('#stream');
  await page.click('#send');
  await page.locator('#answer-status.good').waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('#meta-first').textContent(), 'sim-anthropic/claude-3-5-haiku-latest');
  assert.equal(await page.locator('#meta-attempts').textContent(), '2');
  assert.equal((await page.locator('#answer-text .seg').allTextContents()).join(''), expected.kind === 'text' ? expected.text : '');
  await page.screenshot({ path: join(RESULTS, 'playground-down.png'), fullPage: true });

  await page.locator('button[data-provider="sim-openai"][data-mode="healthy"]').click();
  await page.locator('[data-sim="sim-openai"] .mode', { hasText: 'healthy' }).waitFor();
  assert.deepEqual(problems, []);
  assert.deepEqual(requested.filter((u) => !u.startsWith(url!) && !u.startsWith('data:')), [], 'the page loads nothing from anywhere else');
});
