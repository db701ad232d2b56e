/**
 * Acceptance: the status page in a real browser after a simulated outage.
 * Debian's Chromium (apt-get install -y chromium) driven by playwright-core;
 * no browser download, no network beyond 127.0.0.1. Screenshots at desktop
 * and phone width go to test-results/ for people to look at.
 *
 * The outage is real: the simulated OpenAI answers 503 and traffic goes
 * through the gateway. The page is read from the gateway's status source
 * (ctx.statusSource) when health tracking is wired; until then the test
 * injects a source built from the outcomes it observed itself, so the page
 * under test still shows this outage and nothing invented.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import type { ComponentState, Incident, StatusSnapshot } from '../../health/types.js';
import { worseState } from '../../health/types.js';
import { startStack } from '../../test-support/stack.js';
import { SIM_MODELS } from '../../sim/gateway-config.js';
import { configuredComponents } from '../../http/status-page.js';
import { emptyStatusSnapshot } from './empty-snapshot.js';
import { scaledClock } from '../../sim/scaled-clock.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];
const RESULTS = 'test-results';

interface Observed {
  provider: string;
  model: string;
  ok: boolean;
  ms: number;
}

/** A snapshot from what the test saw at the client: today's bar, the last 24 h interval, an incident for a failing component. */
function snapshotFromObservations(components: { provider: string; model: string }[], seen: Observed[], now: number): StatusSnapshot {
  const s = emptyStatusSnapshot(components, now);
  const last = s.traffic24h.length - 1;
  const incidents: Incident[] = [];
  for (const c of s.components) {
    const mine = seen.filter((o) => o.provider === c.provider && o.model === c.model);
    if (mine.length === 0) continue;
    const errors = mine.filter((o) => !o.ok).length;
    const rate = errors / mine.length;
    const state: ComponentState = rate >= 0.5 ? 'major_outage' : rate > 0 ? 'partial_outage' : 'operational';
    const lat = mine.filter((o) => o.ok).map((o) => o.ms).sort((a, b) => a - b);
    c.state = state;
    c.uptime90dPct = (1 - rate) * 100;
    c.days = c.days.map((d, i) => (i === c.days.length - 1 ? { ...d, worst: state, uptimePct: (1 - rate) * 100, requests: mine.length, errors } : d));
    c.errors24h[last] = { at: c.errors24h[last]!.at, requests: mine.length, errors };
    if (lat.length > 0) c.latency24h[last] = { at: c.latency24h[last]!.at, p50: lat[Math.floor(lat.length / 2)]!, p95: lat[Math.floor(lat.length * 0.95)]! };
    s.traffic24h[last]!.byProvider[c.provider] = (s.traffic24h[last]!.byProvider[c.provider] ?? 0) + (mine.length - errors);
    s.overall = worseState(s.overall, state);
    if (state !== 'operational') {
      const first = now - 60_000;
      incidents.push({
        id: `inc_${c.provider}`,
        source: 'switchyard',
        title: `Elevated errors on ${c.id}`,
        components: [c.id],
        provider: c.provider,
        status: 'investigating',
        impact: state,
        startedAt: first,
        peakErrorRate: rate,
        updates: [{ at: first, status: 'investigating', state, message: `${errors} of ${mine.length} requests failed.` }],
      });
      c.since = first;
    }
  }
  s.incidents = incidents;
  return s;
}

async function chat(url: string, model: string): Promise<{ status: number; provider?: string; model?: string; attempts: number; ms: number }> {
  const t = performance.now();
  const r = await request(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-FAKE' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'status page test' }] }),
  });
  await r.body.dump();
  const h = (k: string) => (typeof r.headers[k] === 'string' ? (r.headers[k] as string) : undefined);
  return { status: r.statusCode, provider: h('x-switchyard-provider'), model: h('x-switchyard-model'), attempts: Number(h('x-switchyard-attempts') ?? 1), ms: performance.now() - t };
}

test('status page in headless Chromium after a simulated outage: 90-day bars, charts, the incident, no console errors', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip('chromium not installed: apt-get install -y chromium');
    return;
  }
  const { chromium } = await import('playwright-core');
  // Health tracking waits for a state to hold (tens of seconds) before opening an incident: a clock 10x
  // faster lets a real outage through the real stack get there in seconds, timers included.
  const clock = scaledClock(10);
  const stack = await startStack({ clock });
  const userDataDir = mkdtempSync(join(tmpdir(), 'switchyard-chromium-'));
  const browser = await chromium
    .launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } })
    .catch(async (e: unknown) => {
      await stack.close();
      throw e;
    });
  let stopTraffic = async (): Promise<void> => {};
  // Browser first, then the stack: an open browser socket would hold the gateway's close() until its headers timeout.
  t.after(async () => {
    await stopTraffic();
    await browser.close();
    await stack.close();
    rmSync(userDataDir, { recursive: true, force: true });
  });

  const ctx = stack.gateway.context;
  const seen: Observed[] = [];
  if (!ctx.statusSource) {
    // Health tracking not wired into this gateway: serve what this test itself observed, nothing invented.
    const components = configuredComponents(ctx);
    ctx.statusSource = { statusSnapshot: (now) => snapshotFromObservations(components, seen, now) };
  }
  const source = ctx.statusSource;
  const openIncident = (s: StatusSnapshot) => s.incidents.some((i) => i.status !== 'resolved' && i.components.some((c) => c.startsWith('sim-openai/')));
  // The page is checked for today's outage bar too: wait until the data behind it says so.
  const todayDown = (s: StatusSnapshot) => /outage/.test(String(s.components.find((c) => c.id.startsWith('sim-openai/'))?.days.at(-1)?.worst));

  // The outage: the simulated OpenAI answers 503 to everything, while clients keep sending.
  stack.sims.openai.faults.set([{ fault: { kind: 'status', status: 503 } }]);
  const until = Date.now() + 30_000;
  let snapshot = await source.statusSnapshot(clock.now());
  while (!(openIncident(snapshot) && todayDown(snapshot))) {
    assert.ok(Date.now() < until, `no incident for sim-openai after 30 s (${Math.round((clock.now() - Date.now()) / 1000)} s of gateway time ahead); components: ${JSON.stringify(snapshot.components.map((c) => [c.id, c.state]))}`);
    // Direct to OpenAI: fails. Through `chat`: fails over to another provider (the flight away from OpenAI).
    const direct = await chat(stack.url, 'via-openai');
    assert.ok(direct.status >= 500, `via-openai should fail during the outage, got ${direct.status}`);
    seen.push({ provider: 'sim-openai', model: SIM_MODELS.openai, ok: false, ms: direct.ms });
    const routed = await chat(stack.url, 'chat');
    assert.equal(routed.status, 200, 'the chat alias fails over');
    assert.notEqual(routed.provider, 'sim-openai');
    // `chat` lists OpenAI first: more than one attempt means OpenAI was tried and failed.
    if (routed.attempts > 1) seen.push({ provider: 'sim-openai', model: SIM_MODELS.openai, ok: false, ms: 0 });
    seen.push({ provider: routed.provider!, model: routed.model!, ok: true, ms: routed.ms });
    await new Promise((r) => setTimeout(r, 100));
    snapshot = await source.statusSnapshot(clock.now());
  }

  // The outage goes on while the page is read, as it would for a real visitor: keep failing traffic flowing.
  let reading = true;
  const ongoing = (async () => {
    while (reading) {
      await chat(stack.url, 'via-openai').catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  stopTraffic = async () => {
    reading = false;
    await ongoing;
  };

  const page = browser.pages()[0] ?? (await browser.newPage());
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));

  const res = await page.goto(`${stack.url}/status`, { waitUntil: 'load' });
  assert.equal(res?.status(), 200);

  // Banner: the outage in words, naming the component.
  const banner = (await page.locator('#banner-h').textContent()) ?? '';
  assert.match(banner, /outage/i);
  assert.match(await page.locator('.banner').innerText(), /sim-openai\/gpt-4o-mini/);

  // 90 bars for every component, each with its tooltip; today's bar for OpenAI shows the outage.
  const cards = page.locator('section.component');
  const n = await cards.count();
  assert.ok(n >= 3, `components shown: ${n}`);
  for (let i = 0; i < n; i++) assert.equal(await cards.nth(i).locator('svg.bars rect.bar').count(), 90, `card ${i} has 90 day bars`);
  // By provider and model: sim-compat serves gpt-4o-mini too (and sees no traffic here).
  const openaiCard = cards.filter({ has: page.locator('h3', { hasText: /sim-openai \/\s*gpt-4o-mini/ }) }).first();
  const today = openaiCard.locator('svg.bars rect.bar').last();
  assert.match((await today.locator('title').textContent()) ?? '', /^\d{4}-\d{2}-\d{2}: (?:[\d.]+% uptime, (?:partial|major) outage|(?:partial|major) outage \(uptime not measured yet\))$/);
  assert.match((await today.getAttribute('class')) ?? '', /s-(partial|major)_outage/);
  assert.match((await openaiCard.locator('svg.bars').getAttribute('aria-label')) ?? '', /90-day uptime for sim-openai\/gpt-4o-mini/);

  // The charts: SVG images with text summaries; the error chart counted the failures.
  const errorsLabel = (await openaiCard.locator('.chart-box.errors svg[role="img"]').getAttribute('aria-label')) ?? '';
  assert.match(errorsLabel, /^Errors for sim-openai\/gpt-4o-mini, last 24 hours: \d+ errors in \d+ requests/);
  assert.ok((await openaiCard.locator('.chart-box.errors rect.err').count()) >= 1, 'error bars drawn');
  assert.match((await openaiCard.locator('.chart-box.latency svg[role="img"]').getAttribute('aria-label')) ?? '', /^Time to first token for sim-openai\/gpt-4o-mini/);
  const traffic = (await page.locator('.chart-box.traffic svg[role="img"]').getAttribute('aria-label')) ?? '';
  assert.match(traffic, /^Share of requests by provider, last 24 hours: /);
  const failoverShare = Number(/sim-anthropic (\d+)%/.exec(traffic)?.[1]);
  assert.ok(failoverShare >= 50, `traffic fled to the failover target: ${traffic}`);

  // The incident, in the active list, with its duration.
  const active = page.locator('#active-incidents + ol.incidents article');
  assert.ok((await active.count()) >= 1, 'an active incident is listed');
  const incidentText = await active.first().innerText();
  assert.match(incidentText, /sim-openai/);
  assert.match(incidentText, /ongoing for/);

  // The page is visible and laid out: the bars span the card's width.
  const box = await openaiCard.locator('svg.bars').boundingBox();
  assert.ok(box && box.width > 600 && box.height > 20, `bars box ${JSON.stringify(box)}`);

  mkdirSync(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, 'status-page.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  // No horizontal scrolling on a phone.
  const overflow = await page.locator('html').evaluate((el) => el.scrollWidth - el.clientWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than a 390px phone screen`);
  const phoneBars = await openaiCard.locator('svg.bars').boundingBox();
  assert.ok(phoneBars && phoneBars.width > 250 && phoneBars.width <= 390, `phone bars box ${JSON.stringify(phoneBars)}`);
  await page.screenshot({ path: join(RESULTS, 'status-page-phone.png'), fullPage: true });

  assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');
  const foreign = requested.filter((u) => !u.startsWith(stack.url) && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], 'the page loads nothing from anywhere else');
});
