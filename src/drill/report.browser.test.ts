/**
 * Acceptance: a drill's HTML report in a real browser (Debian's Chromium driven by
 * playwright-core, as the status page's test). The report comes from a real drill through a
 * real gateway; the page must draw its charts, load nothing from anywhere, log no error, and
 * read on a phone. Screenshots go to test-results/ (drill-report.png, drill-report-phone.png).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildReport } from './build-report.js';
import { defaultDrillConfig } from './default-config.js';
import { parseScenario } from './parse-scenario.js';
import { renderHtml } from './report-html.js';
import { runDrill } from './run-drill.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];
const RESULTS = 'test-results';

const SCENARIO = `
name: report-test
title: "Report test: the primary fails, its streams break, then it is back"
source: "a test scenario"
start: 2025-01-01T10:00:00Z
duration: 30m
assumptions: ["The <primary> fails & recovers (escaped)."]
load: { rate_per_min: 40, stream: 0.7, formats: { openai-chat: 2, anthropic-messages: 1, openai-responses: 1 }, answer_words: [10, 20] }
phases:
  - { name: calm, at: "10:00" }
  - { name: down, at: "10:05" }
  - { name: cuts, at: "10:15" }
  - { name: after, at: "10:22" }
providers:
  - match: primary
    base_load: 100
    phases:
      down: { faults: [{ status: 503, share: 3 }, { refuse: true }] }
      cuts: { fail: 0.4, faults: [{ cut_after: 3 }] }
  - match: anthropic
    capacity: 40
    base_load: 20
    coupling: [{ from: primary, share: 0.1 }]
`;

test('the HTML report in headless Chromium: charts drawn, tables filled, nothing loaded, no console errors', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip('chromium not installed: apt-get install -y chromium');
    return;
  }
  const report = buildReport(await runDrill({ scenario: parseScenario(SCENARIO, 'report-test.yaml'), config: defaultDrillConfig(), speed: 120 }));
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-drill-report-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, renderHtml([report]));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
  t.after(async () => {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const page = browser.pages()[0] ?? (await browser.newPage());
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: 'load' });

  assert.match((await page.locator('h1').textContent()) ?? '', /^Outage drill: Report test/);
  // The headline: the gateway kept every request, the application alone lost the outage's.
  const cards = await page.locator('.card').allInnerTexts();
  assert.match(cards[0]!, /^100\.0%/);
  assert.match(cards[1]!, /^\d+\.\d%\s+without it/);

  // Five kinds of chart, each an SVG image with a text summary and marks drawn.
  const charts = page.locator('svg.chart[role="img"]');
  assert.ok((await charts.count()) >= 5, `charts: ${await charts.count()}`);
  for (const label of await charts.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''))) assert.ok(label.length > 20, label);
  assert.match((await page.locator('.chart-box.success svg').getAttribute('aria-label')) ?? '', /^Requests that succeeded over the scenario: 100\.00% through the gateway, \d+\.\d+% without it\.$/);
  const gatewayLine = (await page.locator('.chart-box.success path.gw').getAttribute('d')) ?? '';
  assert.ok(gatewayLine.split('L').length > 20, 'the success line has a point per interval');
  assert.ok((await page.locator('.chart-box.served rect[class^="p"]').count()) > 20, 'where the answers came from is drawn');
  assert.equal(await page.locator('.chart-box.load').count(), 1, 'a load chart for the provider with a capacity');
  assert.ok((await page.locator('.chart-box.success rect.band').count()) === 4, 'a band per phase');

  // The phase table: one row per phase, the outage visible in the no-gateway column.
  const rows = page.locator('table.phases tbody tr');
  assert.equal(await rows.count(), 4);
  const down = (await rows.nth(1).locator('td').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(down.slice(0, 2), ['down', '10:05']);
  assert.equal(down[3], '100.0%');
  assert.match(down[4]!, /^\d+\.\d%$/);
  assert.ok(Number(down[4]!.slice(0, -1)) < 50);
  assert.ok((await page.locator('.incident-list li').count()) >= 1, 'the incident the gateway opened');
  assert.match(await page.locator('.assumptions').innerText(), /The <primary> fails & recovers \(escaped\)\./);

  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, 'drill-report.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.locator('html').evaluate((el) => el.scrollWidth - el.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than a phone (wide tables scroll inside their box)`);
  await page.screenshot({ path: join(RESULTS, 'drill-report-phone.png'), fullPage: true });

  assert.deepEqual(problems, []);
  assert.deepEqual(requested.filter((u) => u !== url && !u.startsWith('data:')), [], 'the page loads nothing else');
});
